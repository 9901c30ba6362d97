"""Bulk open data: JSON, CSV and XLSX dumps of everything published, kept as files under
``MEDIA_ROOT/opendata/`` and rebuilt when published content changes.

The rows come from ``methodbank.catalog.exports`` (the same rows as ``manage.py export_catalog`` and
the site's downloads), so there is one definition of what is public. The JSON dump wraps the rows
in an envelope that names the licence; the CSV dump is the export's CSV, and the licence travels in
the ``Link: <...>; rel="license"`` header and in ``datapackage.json``.
"""

import json
import logging
import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from methodbank.catalog import exports
from methodbank.core.tabular import NEUTRALISATION_RULE

logger = logging.getLogger(__name__)

DATASETS = exports.WHATS  # ("entries", "projects")
FORMATS = exports.FORMATS  # ("json", "csv", "xlsx")
DUMP_FILES = [f"{what}.{fmt}" for what in DATASETS for fmt in FORMATS] + ["datapackage.json"]
CONTENT_TYPES = exports.CONTENT_TYPES
DESCRIPTIONS = {
    "entries": "Every published model and good practice with its placements, template fields and keywords, "
    "its language and its translations; theme, subtheme and period names in Finnish, Swedish and English; "
    "for a model, the organisations that adopted it, in total and by region.",
    "projects": "Every published project with its lead implementer, end date, scope and themes, its language "
    "and its translations; theme names in Finnish, Swedish and English.",
}


def dump_directory() -> Path:
    return Path(settings.MEDIA_ROOT) / "opendata"


# The address the dumps were written for: its absolute links ("url" columns, "homepage") name it.
SITE_URL_MARKER = "site-url.txt"  # not one of DUMP_FILES: never served


def dumps_match_site_url(directory: Path | None = None) -> bool:
    """Whether the dumps on disk name the site's current address (SITE_URL). When the bank moves
    (another port, a new domain) they are rebuilt before they are served."""
    marker = (directory or dump_directory()) / SITE_URL_MARKER
    try:
        return marker.read_text(encoding="utf-8") == settings.SITE_URL
    except OSError:
        return False


def licence() -> dict:
    return {"name": settings.OPEN_DATA_LICENCE, "url": settings.OPEN_DATA_LICENCE_URL}


def licence_link_header() -> str:
    return f'<{settings.OPEN_DATA_LICENCE_URL}>; rel="license"; title="{settings.OPEN_DATA_LICENCE}"'


def _write_atomic(path: Path, chunks, *, binary: bool = False) -> None:
    """Write to a temporary file in the same directory, then rename over ``path``: a reader
    always sees either the old dump or the new one, never half a file."""
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with (os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")) as handle:
            for chunk in chunks:
                handle.write(chunk)
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _json_chunks(*, what, rows, generated_at, counter):
    head = {
        "dataset": what,
        "description": DESCRIPTIONS[what],
        "licence": licence(),
        "publisher": "Menetelmäpankki",
        "source": settings.SITE_URL,
        "generated_at": generated_at,
    }
    # Rows are streamed one by one; the count is only known at the end, so it comes last.
    yield json.dumps(head, ensure_ascii=False)[:-1] + f', "{what}": ['
    for index, row in enumerate(rows):
        counter[what] = index + 1
        yield ("\n" if index == 0 else ",\n") + json.dumps(row, ensure_ascii=False)
    yield f'\n], "count": {counter.get(what, 0)}}}\n'


def _datapackage(*, generated_at, counts) -> dict:
    """A Frictionless Data package descriptor: machine-readable licence and file list."""

    def resource(what, fmt):
        described = {
            "name": f"{what}-{fmt}",
            "path": f"{what}.{fmt}",
            "format": fmt,
            "mediatype": CONTENT_TYPES[fmt].split(";")[0],
            "description": DESCRIPTIONS[what],
            "count": counts[what],
        }
        if fmt != "xlsx":
            described["encoding"] = "utf-8-sig" if fmt == "csv" else "utf-8"
        if fmt in ("csv", "xlsx"):
            # A tabular resource documents its columns (Frictionless table schema); the JSON one
            # holds the same data with nested "names" objects and a "translations" list instead.
            described["schema"] = {"fields": exports.csv_schema(what)}
            described["formulaNeutralisation"] = NEUTRALISATION_RULE
        if fmt == "csv":
            described["dialect"] = exports.CSV_DIALECT
            described["description"] += (
                ' Comma-separated (","), UTF-8 with a byte order mark, CRLF line ends, fields quoted with " '
                "when needed. " + NEUTRALISATION_RULE
            )
        if fmt == "xlsx":
            described["description"] += (
                " The same columns as the CSV in an Excel workbook: one sheet, a frozen header row, "
                "integers as numbers and datetimes as dates (Finnish local time). " + NEUTRALISATION_RULE
            )
        return described

    return {
        "name": "menetelmapankki",
        "title": "Menetelmäpankki open data",
        "homepage": settings.SITE_URL,
        "created": generated_at,
        "licenses": [{"name": settings.OPEN_DATA_LICENCE, "path": settings.OPEN_DATA_LICENCE_URL}],
        "resources": [resource(what, fmt) for what in DATASETS for fmt in FORMATS],
    }


def open_data_build(*, directory: Path | None = None) -> dict:
    """Write every dump file; returns the number of rows per dataset."""
    directory = directory or dump_directory()
    directory.mkdir(parents=True, exist_ok=True)
    generated_at = timezone.now().isoformat(timespec="seconds")
    counts: dict = {}
    # One read transaction, so the JSON and CSV files of a dataset hold the same rows
    # (a snapshot on PostgreSQL with REPEATABLE READ; on the default READ COMMITTED it keeps
    # the window small).
    with transaction.atomic():
        for what in DATASETS:
            rows = list(exports.export_rows(what))
            _write_atomic(
                directory / f"{what}.json",
                _json_chunks(what=what, rows=rows, generated_at=generated_at, counter=counts),
            )
            counts[what] = len(rows)
            _write_atomic(directory / f"{what}.csv", exports.iter_csv(rows, exports.csv_columns(what)))
            _write_atomic(directory / f"{what}.xlsx", [exports.xlsx_bytes(rows, what)], binary=True)
    _write_atomic(
        directory / "datapackage.json",
        [json.dumps(_datapackage(generated_at=generated_at, counts=counts), ensure_ascii=False, indent=2)],
    )
    _write_atomic(directory / SITE_URL_MARKER, [settings.SITE_URL])
    return counts


def open_data_rebuild_after_commit() -> None:
    """Schedule one rebuild when the current transaction commits (several publishes in one
    transaction, e.g. an import, give one rebuild)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(entry[1] is _rebuild_logged for entry in connection.run_on_commit):
        return
    transaction.on_commit(_rebuild_logged)


def _rebuild_logged() -> None:
    try:
        open_data_build()
    except Exception:
        # A failed dump must not turn a successful publish into an error page; the next
        # publish or `manage.py build_open_data` writes it again.
        logger.exception("Rebuilding the open-data dumps failed")
