"""The full-text engines the search used before the postings (retrieval.py), kept for the benchmark.

The benchmark's "before" column (bench/search_bench.py) and its exact top 10 ask SQLite FTS5 or
PostgreSQL full-text search for the entries that match a compiled query, best first by the engine's
own field-weighted ranking (FTS5 bm25(), PostgreSQL ts_rank_cd()). The site never used them on its
production path: ranking every match costs both engines hundreds of milliseconds (PostgreSQL seconds
for an OR of many words) when a word is in most of 100,000 entries. So the tables they read are the
benchmark's own, built from search_searchdocument by ``fulltext_tables_build()`` after the index,
and no save in the application writes them.
"""

from __future__ import annotations

from django.db import connection

from methodbank.search.bm25 import FIELD_WEIGHTS
from methodbank.search.query import ParsedQuery

SQLITE_BUILD = [
    "DROP TABLE IF EXISTS bench_fts",
    # External content: the text lives once, in search_searchdocument; 'rebuild' indexes it. The
    # unicode61 tokenizer keeps diacritics: "väylä" and "vayla" are different words.
    """CREATE VIRTUAL TABLE bench_fts USING fts5(
        title_terms, summary_terms, body_terms,
        content='search_searchdocument', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )""",
    "INSERT INTO bench_fts(bench_fts) VALUES ('rebuild')",
    "INSERT INTO bench_fts(bench_fts) VALUES ('optimize')",
]
# Weights A/B/C (title/summary/body) under the 'simple' configuration: the text is already analysed.
POSTGRES_BUILD = [
    "DROP TABLE IF EXISTS bench_tsv",
    """CREATE TABLE bench_tsv AS SELECT practice_id,
        setweight(to_tsvector('simple'::regconfig, coalesce(title_terms, '')), 'A') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(summary_terms, '')), 'B') ||
        setweight(to_tsvector('simple'::regconfig, coalesce(body_terms, '')), 'C') AS tsv
        FROM search_searchdocument""",
    "CREATE INDEX bench_tsv_gin ON bench_tsv USING gin (tsv)",
    "ANALYZE bench_tsv",
]


def fulltext_tables_build() -> None:
    """(Re)build the engine's table from the current search documents."""
    statements = {"sqlite": SQLITE_BUILD, "postgresql": POSTGRES_BUILD}.get(connection.vendor)
    if statements is None:
        raise RuntimeError(f"No full-text engine for {connection.vendor}.")
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def fulltext_tables_exist() -> bool:
    name = "bench_fts" if connection.vendor == "sqlite" else "bench_tsv"
    return name in connection.introspection.table_names()


class Engine:
    name = "abstract"

    def match(self, query: ParsedQuery, *, require_all: bool, limit: int) -> list[int]:
        """Practice ids of matching entries, best first by the engine's ranking."""
        raise NotImplementedError

    def match_expression(self, expression: str, *, limit: int) -> list[int]:
        raise NotImplementedError


class SQLiteEngine(Engine):
    name = "sqlite-fts5"

    def match(self, query, *, require_all, limit):
        return self.match_expression(to_fts5(query, require_all=require_all), limit=limit)

    def match_expression(self, expression, *, limit):
        title, summary, body = FIELD_WEIGHTS
        sql = (
            "SELECT d.practice_id FROM bench_fts JOIN search_searchdocument d ON d.id = bench_fts.rowid "
            f"WHERE bench_fts MATCH %s ORDER BY bm25(bench_fts, {title}, {summary}, {body}), d.practice_id "
            "LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression, limit])
            return [row[0] for row in cursor.fetchall()]


class PostgresEngine(Engine):
    name = "postgresql"

    def match(self, query, *, require_all, limit):
        return self.match_expression(to_tsquery(query, require_all=require_all), limit=limit)

    def match_expression(self, expression, *, limit):
        # Weights are {D, C, B, A}: body is C, summary B, title A, normalised to the title's 1.0.
        title, summary, body = FIELD_WEIGHTS
        weights = f"{{0, {body / title:.4f}, {summary / title:.4f}, 1}}"
        sql = (
            "SELECT practice_id FROM bench_tsv, CAST(%s AS tsquery) AS q "
            f"WHERE tsv @@ q ORDER BY ts_rank_cd('{weights}'::float4[], tsv, q) DESC, practice_id LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression, limit])
            return [row[0] for row in cursor.fetchall()]


def get_engine() -> Engine:
    vendor = connection.vendor
    if vendor == "sqlite":
        return SQLiteEngine()
    if vendor == "postgresql":
        return PostgresEngine()
    raise RuntimeError(f"No full-text engine for {vendor}.")


# --- the query language compiled to FTS5 MATCH and tsquery expressions ---------------------


def _fts5_term(term: str) -> str:
    if term.endswith("*"):
        return f'"{term[:-1]}"*'
    return f'"{term}"'


def _pg_term(term: str) -> str:
    if term.endswith("*"):
        return f"'{term[:-1]}':*"
    return f"'{term}'"


def _compile(clauses, *, term, and_, or_):
    def slot(s):
        return or_([term(t) for t in sorted(s)])

    def alternative(a):
        return and_([slot(s) for s in a.slots])

    def clause(c):
        return or_([alternative(a) for a in c.alternatives])

    return [clause(c) for c in clauses]


def _join(op):
    def join(parts):
        parts = list(dict.fromkeys(parts))
        return parts[0] if len(parts) == 1 else "(" + f" {op} ".join(parts) + ")"

    return join


def to_fts5(query: ParsedQuery, *, require_all: bool) -> str:
    and_, or_ = _join("AND"), _join("OR")
    positive = _compile(query.positive, term=_fts5_term, and_=and_, or_=or_)
    expression = (and_ if require_all else or_)(positive)
    if query.excluded:
        excluded = _compile(query.excluded, term=_fts5_term, and_=and_, or_=or_)
        expression = f"{expression} NOT {or_(excluded)}"
    return expression


def to_tsquery(query: ParsedQuery, *, require_all: bool) -> str:
    and_, or_ = _join("&"), _join("|")
    positive = _compile(query.positive, term=_pg_term, and_=and_, or_=or_)
    expression = (and_ if require_all else or_)(positive)
    if query.excluded:
        excluded = _compile(query.excluded, term=_pg_term, and_=and_, or_=or_)
        expression = f"{expression} & !{or_(excluded)}"
    return expression
