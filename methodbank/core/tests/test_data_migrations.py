"""Data migrations carry their own data: what a migration writes must not change when the live code
changes, so no migration imports the project's own modules (only Django and the standard library,
and the historical models through ``apps``)."""

import ast
import importlib
from pathlib import Path

import pytest
from django.db import connection

import methodbank

# Data migrations: those that run code. (Schema migrations refer to a model module's callables, a
# field's default or upload_to, by Django's design: the autodetector writes those references.)
MIGRATIONS = sorted(
    path
    for path in Path(methodbank.__file__).parent.glob("*/migrations/[0-9]*.py")
    if "RunPython" in path.read_text(encoding="utf-8")
)


def _imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_there_are_migrations_to_check():
    assert len(MIGRATIONS) >= 12


@pytest.mark.parametrize("path", MIGRATIONS, ids=lambda p: f"{p.parent.parent.name}/{p.stem}")
def test_migration_imports_no_live_project_code(path):
    live = sorted(m for m in _imported_modules(path) if m == "methodbank" or m.startswith("methodbank."))
    assert live == [], f"{path.name} imports {live}: freeze what it needs into the migration or a data file"


def test_frozen_index_arithmetic_gives_the_hand_computed_values():
    postings = importlib.import_module("methodbank.search.migrations.0004_postings")
    vectors = importlib.import_module("methodbank.search.migrations.0005_termvectors")
    # "ohjaus" twice in the title (length 4 against an average 2), once in the second language
    # version of the body: per field the larger count of the versions.
    rows = postings.posting_rows(7, "ohjaus ohjaus nuori x", "", "a\n\nohjaus", (4, 0, 2), (2.0, 1.0, 2.0))
    by_term = {row[1]: row for row in rows}
    title_norm = 1 - 0.75 + 0.75 * 4 / 2.0  # 1.75
    weighted = 3.0 * 2 / title_norm + 1.0 * 1 / 1.0
    assert by_term["ohjaus"][:5] == (7, "ohjaus", 2, 0, 1)
    assert by_term["ohjaus"][5] == pytest.approx(weighted * 2.2 / (weighted + 1.2))
    row = vectors.vector_row(7, (4, 0, 2), {"ohjaus": [2, 0, 70000]})
    assert row[:4] == (7, 4, 0, 2)
    assert len(row[4]) == 14 and row[4][8:] == (2).to_bytes(2, "little") + b"\0\0" + (65535).to_bytes(2, "little")


@pytest.mark.django_db
def test_the_unused_full_text_engines_are_gone():
    tables = connection.introspection.table_names()
    assert not [t for t in tables if t.startswith("search_fts")]
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, "search_searchdocument")]
    assert "tsv" not in columns
