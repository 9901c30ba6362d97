"""The shipped place data: Statistics Finland's municipalities and regions, and the region outlines."""

import json
import re
from collections import Counter

from django.utils import translation

from methodbank.catalog import places

RAW = json.loads((places.DATA / "municipalities.json").read_text(encoding="utf-8"))
OUTLINES = json.loads((places.DATA / "region_outlines.json").read_text(encoding="utf-8"))


def test_regions_are_the_nineteen_maakunnat_with_their_codes():
    codes = [r["code"] for r in RAW["regions"]]
    assert len(codes) == len(set(codes)) == 19
    # Statistics Finland's region codes: 01-19 without 03 (Itä-Uusimaa, merged into Uusimaa in 2011), and 21 Åland.
    assert codes == [f"{n:02d}" for n in range(1, 20) if n != 3] + ["21"]
    for region in RAW["regions"]:
        assert all(region[language].strip() for language in ("fi", "sv", "en"))


def test_municipalities_have_unique_codes_and_a_known_region():
    codes = [m["code"] for m in RAW["municipalities"]]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"\d{3}", code) for code in codes)
    names = [m["fi"] for m in RAW["municipalities"]]
    assert len(names) == len(set(names))
    region_codes = {r["code"] for r in RAW["regions"]}
    assert all(m["region"] in region_codes for m in RAW["municipalities"])
    per_region = Counter(m["region"] for m in RAW["municipalities"])
    # Every region has municipalities; Kymenlaakso has the fewest (6), Pohjois-Pohjanmaa the most (30).
    assert set(per_region) == region_codes
    assert min(per_region.values()) == 6 and max(per_region.values()) == 30
    # 308 in Statistics Finland's 2025 list; the file has the 2021-2024 list (README.md beside it).
    assert 305 <= len(codes) <= 310


def test_known_municipalities_and_their_regions():
    assert places.municipality("091").fi == "Helsinki"
    assert places.municipality("091").region.fi == "Uusimaa"
    assert places.municipality("564").region.fi == "Pohjois-Pohjanmaa"  # Oulu
    assert places.municipality("478").region.code == "21"  # Maarianhamina, Åland
    assert places.municipality("999") is None
    with translation.override("sv"):
        assert places.municipality("853").name == "Åbo"
        assert places.region("02").name == "Egentliga Finland"


def test_every_region_has_an_outline_and_a_label_inside_the_view_box():
    _x, _y, width, height = (float(v) for v in OUTLINES["viewBox"].split())
    assert set(OUTLINES["regions"]) == {r["code"] for r in RAW["regions"]}
    for code, outline in OUTLINES["regions"].items():
        assert re.fullmatch(r"(M[\d., ]+Z ?)+", outline["path"]), code
        x, y = outline["label"]
        assert 0 <= x <= width and 0 <= y <= height, code
    assert "Natural Earth" in OUTLINES["source"]
    # Small enough to ship and inline in a page.
    assert len(json.dumps(OUTLINES)) < 40_000


def test_region_map_colours_by_count_and_labels_every_region():
    data = places.region_map({"01": 12, "17": 1})
    rows = {row["code"]: row for row in data["regions"]}
    assert len(rows) == 19
    assert rows["01"]["count"] == 12 and rows["17"]["count"] == 1 and rows["19"]["count"] == 0
    assert rows["01"]["fill"] != rows["17"]["fill"] != rows["19"]["fill"]
    assert data["region_count"] == 2
    assert "12" in rows["01"]["title"]
    assert [item["label"] for item in data["legend"]][:2] == ["0", "1"]


def test_municipality_choices_group_by_region():
    groups = places.municipality_choices()
    assert len(groups) == 19
    assert sum(len(options) for _name, options in groups) == len(RAW["municipalities"])
    uusimaa = dict(groups)["Uusimaa"]
    assert ("091", "Helsinki") in uusimaa
