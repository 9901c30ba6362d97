"""Open-data export of the catalog, shared by ``manage.py export_catalog`` and the download views.

Only published entries and projects are exported, and nothing personal (no owners, no e-mail
addresses). Rows are built once (``*_export_rows``); ``iter_json`` and ``iter_csv`` turn them into
text chunks, so the command writes and the site streams exactly the same bytes.

Languages, as in the API: the unsuffixed fields hold the original text (in the row's ``language``)
and the Finnish names of themes, subthemes and periods. JSON adds ``names`` objects ({"fi", "sv",
"en"}, Finnish where a name has not been translated) and a ``translations`` list (the entry or
project in other languages than its own). CSV flattens these into suffixed columns appended after
the original ones (``placements_sv``, ``title_sv``, ``summary_en`` ...), described in
``COLUMN_DESCRIPTIONS`` (the open-data ``datapackage.json`` schema).
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator
from datetime import datetime

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone, translation

from methodbank.catalog import extensions
from methodbank.core.tabular import neutralise_cell

from . import places, selectors
from .models import (
    Keyword,
    Placement,
    Practice,
    PracticeTranslation,
    Project,
    ProjectTranslation,
    PublicationStatus,
    Theme,
)
from .provenance import practice_source_report

FORMATS = ("json", "csv", "xlsx")
WHATS = ("entries", "projects")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX_CONTENT_TYPE,
}
# The CSV dialect, as published in datapackage.json (Frictionless CSV dialect). Comma-separated
# on purpose: it is the format every tool reads; spreadsheet users get the XLSX file instead
# (Excel with Finnish regional settings expects ";" and would open a CSV in one column).
CSV_DIALECT = {
    "delimiter": ",",
    "lineTerminator": "\r\n",
    "quoteChar": '"',
    "doubleQuote": True,
    "header": True,
}
LIST_SEPARATOR = " | "
CSV_BOM = "\ufeff"  # Excel needs it to read the file as UTF-8.
LANGUAGES = [code for code, _label in settings.LANGUAGES]  # fi, sv, en
# Themes, subthemes and periods have a Finnish ``name`` and a name in each of these (name_sv, name_en).
OTHER_LANGUAGES = [code for code in LANGUAGES if code != "fi"]


class ExportError(ValueError):
    """Unknown format or dataset."""


def _absolute(path):
    return settings.SITE_URL.rstrip("/") + path


def _placement_dict(placement):
    subtheme, period = placement.subtheme, placement.period
    return {
        "theme_code": placement.theme.code,
        "theme": placement.theme.name,
        "subtheme": subtheme.name if subtheme else "",
        "period": period.name if period else "",
        "period_code": period.code if period else "",
        "theme_names": placement.theme.names(),
        "subtheme_names": subtheme.names() if subtheme else None,
        "period_names": period.names() if period else None,
    }


def _translations(obj, fields) -> list[dict]:
    """The prefetched translations into other languages than the original, in fi, sv, en order."""
    by_language = {t.language: t for t in obj.translations.all() if t.language != obj.language}
    return [
        {"language": code, **{name: getattr(by_language[code], name) or "" for name in fields}}
        for code in LANGUAGES
        if code in by_language
    ]


def project_names(project) -> dict:
    """{language: name}: the project's translated name where it has one, its own name otherwise
    (most projects keep their Finnish name in every language). Uses prefetched translations."""
    translated = {t.language: t.name for t in project.translations.all() if t.name.strip()}
    return {code: project.name if code == project.language else translated.get(code, project.name) for code in LANGUAGES}


def entries_queryset():
    return (
        Practice.objects.published()
        .select_related("project", "applies_model")
        .prefetch_related(
            # Translations come in two queries per chunk of entries, not one per entry.
            "translations",
            "project__translations",
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


def _adoption_regions(by_region: dict) -> list[dict]:
    return [
        {"code": code, "name": places.region(code).fi, "names": places.region(code).names(), "count": count}
        for code, count in sorted(by_region.items())
    ]


EXPORT_CHUNK = 500


def entries_export_rows() -> Iterator[dict]:
    """One dict per published entry; lists stay lists (JSON) until ``flatten_row`` (CSV). The
    fields other apps add (extensions.register_export_fields) come last, a chunk at a time."""
    chunk = []
    for row in _entries_own_rows():
        chunk.append(row)
        if len(chunk) == EXPORT_CHUNK:
            yield from _with_extra_fields("entries", chunk)
            chunk = []
    yield from _with_extra_fields("entries", chunk)


def _with_extra_fields(what: str, rows: list[dict]) -> list[dict]:
    for columns, provider in extensions.export_fields(what):
        values = provider([row["id"] for row in rows]) if rows else {}
        for row in rows:
            extra = values.get(row["id"], {})
            for name, _kind, _text in columns:
                row[name] = extra.get(name, [])
    return rows


def _entries_own_rows() -> Iterator[dict]:
    adoptions, adoptions_by_region = selectors.adoption_figures_of_published_models()
    # URLs in the dump use the default language so the command and every site language agree.
    with translation.override(settings.LANGUAGE_CODE):
        for practice in entries_queryset().iterator(chunk_size=EXPORT_CHUNK):
            model = practice.applies_model
            if model is not None and model.status != PublicationStatus.PUBLISHED:
                model = None
            report = practice_source_report(practice)
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
                    "source_report": report.key if report else "",
                    "source_published": report.published_iso if report else "",
                    "project_names": project_names(practice.project) if practice.project else None,
                    "translations": _translations(practice, PracticeTranslation.TRANSLATED_FIELDS),
                    "adoptions": adoptions.get(practice.pk, 0) if practice.is_model else None,
                    "adoption_regions": _adoption_regions(adoptions_by_region.get(practice.pk, {})),
                }
            )
            yield row


def projects_queryset():
    return (
        Project.objects.published()
        .select_related("lead")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("code")), "translations")
        .order_by("name")
    )


def projects_export_rows() -> Iterator[dict]:
    with translation.override(settings.LANGUAGE_CODE):
        for project in projects_queryset().iterator(chunk_size=500):
            themes = list(project.themes.all())
            yield {
                "id": project.pk,
                "slug": project.slug,
                "url": _absolute(project.get_absolute_url()),
                "name": project.name,
                "short_name": project.short_name,
                "lead": project.lead.name if project.lead else "",
                "ends_on": project.ends_on_display,
                "scope": project.scope,
                "themes": [t.code for t in themes],
                "description": project.description,
                "funding_programme": project.funding_programme,
                "language": project.language,
                "theme_names": [t.names() for t in themes],
                "translations": _translations(project, ProjectTranslation.TRANSLATED_FIELDS),
            }


# The JSON rows' fields, in order.
ENTRY_FIELDS = [
    "id", "slug", "url", "title", "kind", "project", "placements", "summary",
    *[name for name, _heading in Practice.TEMPLATE_FIELDS],
    "keywords", "applies_model_slug", "applies_model_title", "links", "language", "published_at",
    "source_report", "source_published", "project_names", "translations", "adoptions", "adoption_regions",
]
PROJECT_FIELDS = [
    "id", "slug", "url", "name", "short_name", "lead", "ends_on", "scope", "themes", "description",
    "funding_programme", "language", "theme_names", "translations",
]
LANGUAGE_NAMES = {"fi": "Finnish", "sv": "Swedish", "en": "English"}


def _csv_columns(what: str) -> list[tuple[str, str, str]]:
    """(column, type, description) of a dataset's CSV, in order: the original columns first (so
    they keep their place), then the other languages, one language after another."""
    if what == "entries":
        fields, translated = ENTRY_FIELDS, PracticeTranslation.TRANSLATED_FIELDS
        own = {
            "id": ("integer", "Entry id (the same as in the API)."),
            "slug": ("string", "The entry's address name."),
            "url": ("string", "The entry's page on the site (Finnish)."),
            "title": ("string", "Name of the entry, in its own language (see language)."),
            "kind": ("string", "model or good_practice."),
            "project": ("string", "Name of the project that developed the entry, in the project's own language."),
            "placements": ("string", 'Where the entry is listed, " | " between placements, each as '
                           '"theme code / subtheme / period" with the Finnish names.'),
            "summary": ("string", "Summary, in the entry's own language."),
            "keywords": ("string", 'Keywords (Finnish), " | " between them.'),
            "applies_model_slug": ("string", "For a good practice: the address name of the model it applies."),
            "applies_model_title": ("string", "For a good practice: the name of the model it applies."),
            "links": ("string", 'Addresses of links, " | " between them.'),
            "language": ("string", "Language the entry is written in: fi, sv or en."),
            "published_at": ("datetime", "When the entry was published in the bank (ISO 8601); for an imported "
                             "entry the day of the import, see source_published."),
            "source_report": ("string", "For an imported entry: the report it came from (e.g. zoomi-2020); "
                              "empty for an entry written in the bank."),
            "source_published": ("string", "For an imported entry: the year its report was published."),
            "translations": ("string", 'Languages the entry is translated into, " | " between them.'),
            "adoptions": ("integer", "For a model: the organisations that recorded adopting it (approved adoption "
                          "records; an organisation counts once); empty for a good practice."),
            "adoption_regions": ("string", 'For a model: the adopting organisations by region, " | " between '
                                 'regions, each as "region code region name: count" (Statistics Finland\'s region '
                                 "codes, Finnish names)."),
        }
        for name, heading in Practice.TEMPLATE_FIELDS:
            own[name] = ("string", f"Template section '{heading}', in the entry's own language.")
        columns = [(name, *own[name]) for name in fields if name != "project_names"]
        columns += [column for extra, _provider in extensions.export_fields("entries") for column in extra]
        for code in OTHER_LANGUAGES:
            columns.append((f"placements_{code}", "string",
                            f"The placements as in placements, with the {LANGUAGE_NAMES[code]} names "
                            "(Finnish where a name has not been translated)."))
        for code in LANGUAGES:
            columns.append((f"project_{code}", "string",
                            f"Name of the project in {LANGUAGE_NAMES[code]} (its own name where it has none in "
                            f"{LANGUAGE_NAMES[code]})."))
    else:
        fields, translated = PROJECT_FIELDS, ProjectTranslation.TRANSLATED_FIELDS
        own = {
            "id": ("integer", "Project id (the same as in the API)."),
            "slug": ("string", "The project's address name."),
            "url": ("string", "The project's page on the site (Finnish)."),
            "name": ("string", "Name of the project, in its own language (see language)."),
            "short_name": ("string", "Short name or acronym."),
            "lead": ("string", "Lead implementer."),
            "ends_on": ("string", "End month, MM/YYYY."),
            "scope": ("string", "national, regional or other_esf."),
            "themes": ("string", 'Theme codes (A-D), " | " between them.'),
            "description": ("string", "Description, in the project's own language."),
            "funding_programme": ("string", "Funding programme."),
            "language": ("string", "Language the project is described in: fi, sv or en."),
            "theme_names": ("string", 'Finnish names of the themes, " | " between them.'),
            "translations": ("string", 'Languages the project is translated into, " | " between them.'),
        }
        columns = [(name, *own[name]) for name in fields]
        for code in OTHER_LANGUAGES:
            columns.append((f"theme_names_{code}", "string",
                            f"{LANGUAGE_NAMES[code]} names of the themes, \" | \" between them."))
    for code in LANGUAGES:
        for name in translated:
            # "Summary, in the entry's own language." -> "Summary translated into Swedish (...)"
            what_it_is = own[name][1].split(",")[0].rstrip(".")
            columns.append((f"{name}_{code}", "string",
                            f"{what_it_is} translated into {LANGUAGE_NAMES[code]} (empty when there is no {LANGUAGE_NAMES[code]} "
                            "translation, and for the original language, which is in the unsuffixed column)."))
    return columns


def csv_schema(what: str) -> list[dict]:
    """The CSV columns as Frictionless table-schema fields (for ``datapackage.json``), in English."""
    with translation.override("en"):
        return [{"name": name, "type": kind, "description": text} for name, kind, text in _csv_columns(what)]


def csv_columns(what: str) -> list[str]:
    return [name for name, _kind, _text in _csv_columns(what)]


def export_rows(what: str) -> Iterator[dict]:
    if what == "entries":
        return entries_export_rows()
    if what == "projects":
        return projects_export_rows()
    raise ExportError(f"Unknown dataset {what!r}; choose one of: {', '.join(WHATS)}.")


def _joined(values) -> str:
    return LIST_SEPARATOR.join(str(v) for v in values)


def _placements_text(placements, code: str) -> str:
    def name(names, fallback):
        return names[code] if names and code != "fi" else fallback

    return _joined(
        " / ".join([p["theme_code"], name(p["subtheme_names"], p["subtheme"]), name(p["period_names"], p["period"])])
        for p in placements
    )


def flatten_row(row: dict, columns: list[str]) -> dict:
    """The CSV form of a row, with exactly ``columns``: lists joined with " | ", placements as
    "A / subtheme / period", names and translations spread over language-suffixed columns."""
    flat = {}
    for key, value in row.items():
        if key == "placements":
            flat[key] = _placements_text(value, "fi")
            for code in OTHER_LANGUAGES:
                flat[f"placements_{code}"] = _placements_text(value, code)
        elif key == "links":
            flat[key] = _joined(link["url"] for link in value)
        elif key == "adoption_regions":
            flat[key] = _joined(f"{region['code']} {region['name']}: {region['count']}" for region in value)
        elif key == "project_names":
            for code in LANGUAGES:
                flat[f"project_{code}"] = value[code] if value else ""
        elif key == "theme_names":
            flat[key] = _joined(names["fi"] for names in value)
            for code in OTHER_LANGUAGES:
                flat[f"theme_names_{code}"] = _joined(names[code] for names in value)
        elif key == "translations":
            flat[key] = _joined(t["language"] for t in value)
            for translation in value:
                for name, text in translation.items():
                    if name != "language":
                        flat[f"{name}_{translation['language']}"] = text
        elif isinstance(value, list):
            flat[key] = _joined(value)
        else:
            flat[key] = "" if value is None else value
    return {name: flat.get(name, "") for name in columns}


def iter_json(rows: Iterable[dict]) -> Iterator[str]:
    """A JSON list, one object per chunk, so a large export never sits in memory whole."""
    yield "["
    first = True
    for row in rows:
        yield ("\n" if first else ",\n") + json.dumps(row, ensure_ascii=False)
        first = False
    yield "\n]\n"


def spreadsheet_row(row: dict, columns: list[str]) -> dict:
    """The flattened row with every text cell neutralised against formula injection (see
    ``methodbank.core.tabular``): what both the CSV and the XLSX files hold."""
    return {name: neutralise_cell(value) for name, value in flatten_row(row, columns).items()}


def iter_csv(rows: Iterable[dict], columns: list[str]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer,
        fieldnames=columns,
        delimiter=CSV_DIALECT["delimiter"],
        quotechar=CSV_DIALECT["quoteChar"],
        lineterminator=CSV_DIALECT["lineTerminator"],
    )
    writer.writeheader()
    yield CSV_BOM + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate(0)
        writer.writerow(spreadsheet_row(row, columns))
        yield buffer.getvalue()


def _typed_cell(value, kind: str):
    """A cell value of the column's table-schema type: integers as numbers, datetimes as Excel
    dates (local time: Excel has no time zones), text as text."""
    if value in ("", None):
        return None
    if kind == "integer":
        return int(value)
    if kind == "datetime":
        moment = datetime.fromisoformat(value)
        if timezone.is_aware(moment):
            moment = timezone.make_naive(moment)
        return moment
    return value


def xlsx_bytes(rows: Iterable[dict], what: str) -> bytes:
    """The CSV's columns as an Excel workbook: typed cells, a bold frozen header row and an
    auto-filter, text neutralised by the same rule as the CSV."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    described = _csv_columns(what)
    columns = [name for name, _kind, _text in described]
    kinds = {name: kind for name, kind, _text in described}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=what)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{_column_letter(len(columns))}1"
    bold = Font(bold=True)
    header = []
    for name in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        flat = spreadsheet_row(row, columns)
        cells = []
        for name in columns:
            value = _typed_cell(flat[name], kinds[name])
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                # Text stays text even if it looks like a formula to openpyxl.
                cell.data_type = "s"
            elif isinstance(value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _column_letter(number: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(number)


def export_chunks(*, what: str, fmt: str) -> Iterator[str] | Iterator[bytes]:
    """Text chunks (JSON, CSV) or, for XLSX, the whole workbook as one bytes chunk."""
    if fmt not in FORMATS:
        raise ExportError(f"Unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}.")
    rows = export_rows(what)
    if fmt == "xlsx":
        return iter([xlsx_bytes(rows, what)])
    return iter_json(rows) if fmt == "json" else iter_csv(rows, csv_columns(what))


def export_filename(*, what: str, fmt: str) -> str:
    return f"menetelmapankki-{what}.{fmt}"
