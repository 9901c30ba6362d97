"""Open-data export of the catalog, shared by ``manage.py export_catalog`` and the download views.

Only published entries and projects are exported, and nothing personal (no owners, no e-mail
addresses). Rows are built once (``*_export_rows``); ``iter_json`` and ``iter_csv`` turn them into
text chunks, so the command writes and the site streams exactly the same bytes.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation

from .models import Keyword, Placement, Practice, Project, PublicationStatus, Theme

FORMATS = ("json", "csv")
WHATS = ("entries", "projects")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "csv": "text/csv; charset=utf-8"}
LIST_SEPARATOR = " | "
CSV_BOM = "\ufeff"  # Excel needs it to read the file as UTF-8.


class ExportError(ValueError):
    """Unknown format or dataset."""


def _absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def _placement_dict(placement):
    return {
        "theme_code": placement.theme.code,
        "theme": placement.theme.name,
        "subtheme": placement.subtheme.name if placement.subtheme else "",
        "period": placement.period.name if placement.period else "",
        "period_code": placement.period.code if placement.period else "",
    }


def entries_queryset():
    return (
        Practice.objects.filter(status=PublicationStatus.PUBLISHED)
        .select_related("project", "applies_model")
        .prefetch_related(
            Prefetch(
                "placements",
                queryset=Placement.objects.select_related("theme", "subtheme", "period").order_by(
                    "theme__code", "subtheme__position", "-period__starts_on", "id"
                ),
            ),
            Prefetch("keywords", queryset=Keyword.objects.filter(approved=True).order_by("name")),
            "links",
        )
        .order_by("id")
    )


def entries_export_rows() -> Iterator[dict]:
    """One dict per published entry; lists stay lists (JSON) until ``flatten_row`` (CSV)."""
    # URLs in the dump use the default language so the command and every site language agree.
    with translation.override(settings.LANGUAGE_CODE):
        for practice in entries_queryset().iterator(chunk_size=500):
            model = practice.applies_model
            if model is not None and model.status != PublicationStatus.PUBLISHED:
                model = None
            row = {
                "id": practice.pk,
                "slug": practice.slug,
                "url": _absolute(practice.get_absolute_url()),
                "title": practice.title,
                "kind": practice.kind,
                "project": practice.project.name if practice.project else "",
                "placements": [_placement_dict(p) for p in practice.placements.all()],
                "summary": practice.summary,
            }
            for name, _heading in Practice.TEMPLATE_FIELDS:
                row[name] = getattr(practice, name)
            row.update(
                {
                    "keywords": [k.name for k in practice.keywords.all()],
                    "applies_model_slug": model.slug if model else "",
                    "applies_model_title": model.title if model else "",
                    "links": [{"url": link.url, "title": link.title} for link in practice.links.all()],
                    "language": practice.language,
                    "published_at": practice.published_at.isoformat() if practice.published_at else "",
                }
            )
            yield row


def projects_queryset():
    return (
        Project.objects.filter(status=PublicationStatus.PUBLISHED)
        .select_related("lead")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("code")))
        .order_by("name")
    )


def projects_export_rows() -> Iterator[dict]:
    with translation.override(settings.LANGUAGE_CODE):
        for project in projects_queryset().iterator(chunk_size=500):
            yield {
                "id": project.pk,
                "slug": project.slug,
                "url": _absolute(project.get_absolute_url()),
                "name": project.name,
                "short_name": project.short_name,
                "lead": project.lead.name if project.lead else "",
                "ends_on": project.ends_on_display,
                "scope": project.scope,
                "themes": [t.code for t in project.themes.all()],
                "description": project.description,
                "funding_programme": project.funding_programme,
            }


ENTRY_FIELDS = [
    "id", "slug", "url", "title", "kind", "project", "placements", "summary",
    *[name for name, _heading in Practice.TEMPLATE_FIELDS],
    "keywords", "applies_model_slug", "applies_model_title", "links", "language", "published_at",
]
PROJECT_FIELDS = [
    "id", "slug", "url", "name", "short_name", "lead", "ends_on", "scope", "themes", "description",
    "funding_programme",
]
FIELDNAMES = {"entries": ENTRY_FIELDS, "projects": PROJECT_FIELDS}


def export_rows(what: str) -> Iterator[dict]:
    if what == "entries":
        return entries_export_rows()
    if what == "projects":
        return projects_export_rows()
    raise ExportError(f"Unknown dataset {what!r}; choose one of: {', '.join(WHATS)}.")


def _flatten_value(key, value):
    if key == "placements":
        return LIST_SEPARATOR.join(
            " / ".join([p["theme_code"], p["subtheme"], p["period"]]) for p in value
        )
    if key == "links":
        return LIST_SEPARATOR.join(link["url"] for link in value)
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return "" if value is None else value


def flatten_row(row: dict) -> dict:
    """The CSV form of a row: lists joined with " | ", placements as "A / subtheme / period"."""
    return {key: _flatten_value(key, value) for key, value in row.items()}


def iter_json(rows: Iterable[dict]) -> Iterator[str]:
    """A JSON list, one object per chunk, so a large export never sits in memory whole."""
    yield "["
    first = True
    for row in rows:
        yield ("\n" if first else ",\n") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "\n]\n"


def iter_csv(rows: Iterable[dict], fieldnames: list[str]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fieldnames, lineterminator="\r\n")
    writer.writeheader()
    yield CSV_BOM + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate(0)
        writer.writerow(flatten_row(row))
        yield buffer.getvalue()


def export_chunks(*, what: str, fmt: str) -> Iterator[str]:
    if fmt not in FORMATS:
        raise ExportError(f"Unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}.")
    rows = export_rows(what)
    return iter_json(rows) if fmt == "json" else iter_csv(rows, FIELDNAMES[what])


def export_filename(*, what: str, fmt: str) -> str:
    return f"menetelmapankki-{what}.{fmt}"
