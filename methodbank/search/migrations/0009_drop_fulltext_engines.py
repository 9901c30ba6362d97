"""Drop the engine-specific full-text structures of 0002: SQLite's FTS5 table with its triggers,
PostgreSQL's generated tsvector column with its GIN index.

The search reads the postings (SearchPosting, SearchTermVector) on both engines; these structures
were written on every save only for the benchmark, which now builds tables of its own
(bench/fulltext.py). With the triggers gone, a later migration that rebuilds search_searchdocument
on SQLite no longer has to re-create them (the caution in 0002 no longer applies).

The statements are written out here, not imported from 0002, so that this migration does the same
whatever later becomes of that one. Reversing re-creates the structures and fills them.
"""

from django.db import migrations

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_au",
    "DROP TRIGGER IF EXISTS search_fts_ad",
    "DROP TRIGGER IF EXISTS search_fts_ai",
    "DROP TABLE IF EXISTS search_fts",
]
SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title_terms, summary_terms, body_terms,
        content='search_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    """CREATE TRIGGER search_fts_ai AFTER INSERT ON search_searchdocument BEGIN
        INSERT INTO search_fts(rowid, title_terms, summary_terms, body_terms)
        VALUES (new.id, new.title_terms, new.summary_terms, new.body_terms);
    END""",
    """CREATE TRIGGER search_fts_ad AFTER DELETE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_terms, summary_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.summary_terms, old.body_terms);
    END""",
    """CREATE TRIGGER search_fts_au AFTER UPDATE ON search_searchdocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_terms, summary_terms, body_terms)
        VALUES ('delete', old.id, old.title_terms, old.summary_terms, old.body_terms);
        INSERT INTO search_fts(rowid, title_terms, summary_terms, body_terms)
        VALUES (new.id, new.title_terms, new.summary_terms, new.body_terms);
    END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
POSTGRES_DROP = [
    "DROP INDEX IF EXISTS search_searchdocument_tsv_gin",
    "ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS tsv",
]
POSTGRES_CREATE = [
    """ALTER TABLE search_searchdocument ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, coalesce(title_terms, '')), 'A') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(summary_terms, '')), 'B') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(body_terms, '')), 'C')
    ) STORED""",
    "CREATE INDEX search_searchdocument_tsv_gin ON search_searchdocument USING gin (tsv)",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0008_remove_synonymgroup")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
        ),
    ]
