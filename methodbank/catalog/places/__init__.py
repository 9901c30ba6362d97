"""Finland's municipalities and regions (maakunnat), and the map of the regions, as data shipped
with the bank (README.md beside this file names the sources and licences).

An adoption record names its municipality by Statistics Finland's code; the region follows from
the municipality, so the map and the counts by region need no other lookup.
"""

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

DATA = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Region:
    code: str
    fi: str
    sv: str
    en: str

    @property
    def name(self) -> str:
        return getattr(self, (get_language() or "fi")[:2], self.fi)

    def names(self) -> dict:
        return {"fi": self.fi, "sv": self.sv, "en": self.en}


@dataclass(frozen=True)
class Municipality:
    code: str
    fi: str
    sv: str
    region_code: str

    @property
    def name(self) -> str:
        # Swedish names where the municipality has one (bilingual and Swedish-speaking ones).
        return self.sv if (get_language() or "fi").startswith("sv") else self.fi

    @property
    def region(self) -> Region:
        return region(self.region_code)


@cache
def _data() -> tuple[dict, dict]:
    raw = json.loads((DATA / "municipalities.json").read_text(encoding="utf-8"))
    regions = {r["code"]: Region(**r) for r in raw["regions"]}
    municipalities = {
        m["code"]: Municipality(code=m["code"], fi=m["fi"], sv=m["sv"], region_code=m["region"])
        for m in raw["municipalities"]
    }
    return regions, municipalities


@cache
def _outlines() -> dict:
    return json.loads((DATA / "region_outlines.json").read_text(encoding="utf-8"))


def regions() -> list[Region]:
    return list(_data()[0].values())


def region(code: str) -> Region | None:
    return _data()[0].get(code)


def municipalities() -> list[Municipality]:
    return list(_data()[1].values())


def municipality(code: str) -> Municipality | None:
    return _data()[1].get(code)


def municipality_choices() -> list:
    """Grouped choices for a select: the regions in code order, their municipalities by name."""
    by_region: dict[str, list] = {}
    for m in municipalities():
        by_region.setdefault(m.region_code, []).append(m)
    return [
        (r.name, sorted(((m.code, m.name) for m in by_region.get(r.code, [])), key=lambda c: c[1]))
        for r in regions()
    ]


# Classes of the map's colour scale: (lowest count, fill, text colour). Fixed classes, so a legend
# can name them and a map means the same on every model's page. Text colours keep 4.5:1 contrast.
MAP_CLASSES = [
    (0, "#f4f4f4", "#1a1a1a"),
    (1, "#c6dbef", "#1a1a1a"),
    (2, "#7fb2da", "#1a1a1a"),
    (5, "#2b6cb0", "#ffffff"),
    (10, "#0b2f5b", "#ffffff"),
]


def _map_class(count: int) -> int:
    return max(index for index, (lowest, _fill, _text) in enumerate(MAP_CLASSES) if count >= lowest)


def _legend_label(index: int) -> str:
    lowest = MAP_CLASSES[index][0]
    if index == len(MAP_CLASSES) - 1:
        return _("%(count)d or more") % {"count": lowest}
    highest = MAP_CLASSES[index + 1][0] - 1
    if lowest == highest:
        return str(lowest)
    return f"{lowest}–{highest}"


def region_map(counts: dict[str, int]) -> dict:
    """What the map template draws: every region with its outline, count and colour class, and the
    legend. ``counts``: {region code: adopting organisations}."""
    outlines = _outlines()
    rows = []
    for r in regions():
        count = counts.get(r.code, 0)
        index = _map_class(count)
        outline = outlines["regions"][r.code]
        rows.append({
            "code": r.code,
            "name": r.name,
            "path": outline["path"],
            "label_x": outline["label"][0],
            "label_y": outline["label"][1],
            "count": count,
            "fill": MAP_CLASSES[index][1],
            "text": MAP_CLASSES[index][2],
            "title": ngettext("%(region)s: %(count)d organisation", "%(region)s: %(count)d organisations", count)
            % {"region": r.name, "count": count},
        })
    return {
        "view_box": outlines["viewBox"],
        "regions": rows,
        "legend": [
            {"label": _legend_label(i), "fill": fill} for i, (_lowest, fill, _text) in enumerate(MAP_CLASSES)
        ],
        "region_count": sum(1 for row in rows if row["count"]),
    }
