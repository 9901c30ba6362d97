"""SQLite FTS5 or PostgreSQL full-text search over the analysed columns.

The engine finds the entries that match a compiled expression and returns at most ``limit`` of
them, best first by its own field-weighted ranking (FTS5 bm25(), PostgreSQL ts_rank_cd()). Neither
the search page nor similar entries use it any more: ranking every match costs both engines hundreds
of milliseconds (PostgreSQL seconds for an OR of many words) when a word is in most of 100,000
entries, so both read the impact-ordered postings instead (retrieval.py, similarity.py), the same
table on both engines. The benchmark's "before" column and the engine tests still use it.
``candidate_limit()`` is the search's result cap and the depth it reads per word.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection

from .query import ParsedQuery, to_fts5, to_tsquery

# Field weights title/summary/body; ranking.py uses the same ones.
FIELD_WEIGHTS = (3.0, 2.0, 1.0)


def candidate_limit() -> int:
    # 120: the postings read per word (shared among the words of a query) and the ranked results
    # kept. Measured at 100,000 entries: 250 cost 1.7x the CPU time for result pages nobody reads;
    # a word found in fewer entries than this is still read completely (every entry found).
    return getattr(settings, "SEARCH_CANDIDATE_LIMIT", 120)


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
            "SELECT d.practice_id FROM search_fts JOIN search_searchdocument d ON d.id = search_fts.rowid "
            f"WHERE search_fts MATCH %s ORDER BY bm25(search_fts, {title}, {summary}, {body}), d.practice_id "
            "LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression, limit])
            return [row[0] for row in cursor.fetchall()]

    @staticmethod
    def or_expression(terms) -> str:
        return " OR ".join(f'"{t}"' for t in sorted(terms))


class PostgresEngine(Engine):
    name = "postgresql"

    def match(self, query, *, require_all, limit):
        return self.match_expression(to_tsquery(query, require_all=require_all), limit=limit)

    def match_expression(self, expression, *, limit):
        # Weights are {D, C, B, A}: body is C, summary B, title A, normalised to the title's 1.0.
        title, summary, body = FIELD_WEIGHTS
        weights = f"{{0, {body / title:.4f}, {summary / title:.4f}, 1}}"
        sql = (
            "SELECT practice_id FROM search_searchdocument, CAST(%s AS tsquery) AS q "
            f"WHERE tsv @@ q ORDER BY ts_rank_cd('{weights}'::float4[], tsv, q) DESC, practice_id LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression, limit])
            return [row[0] for row in cursor.fetchall()]

    @staticmethod
    def or_expression(terms) -> str:
        return " | ".join(f"'{t}'" for t in sorted(terms))


def get_engine() -> Engine:
    vendor = connection.vendor
    if vendor == "sqlite":
        return SQLiteEngine()
    if vendor == "postgresql":
        return PostgresEngine()
    raise RuntimeError(f"Search has no full-text engine for {vendor}.")
