"""Top-k candidate retrieval from the impact-ordered postings (models.SearchPosting).

Both engines answer a query from the same table in the same two steps, so SQLite and PostgreSQL
return the same candidates and ranking.py scores them identically:

1. *Sorted access*: for each term of the query, its ``depth`` best postings by impact (one UNION ALL
   statement, each branch an index range scan of (term, impact DESC) that stops after ``depth``
   rows). A term with fewer postings than that is read completely.
2. *Random access*: for the candidates found, the postings of the terms whose list was cut short
   (and of prefixes and excluded words) through the primary key (entry, term), so every candidate
   is scored on all of its query terms, not only on the lists it was found in; with them the
   candidates' field lengths. Which lists are complete is known beforehand from the document
   frequencies (term_statistics, one statement that also gives the prefixes' completions).

PostgreSQL runs both steps as one statement (a round trip to the server costs more than the
lookups); SQLite, in-process, runs two (it probes a list of values faster than a subquery's result).

Cost is bounded by depth × terms whatever the catalog size: a word found in 70 % of 100,000 entries
costs no more than a rare one. The price is that an entry that is in no term's top ``depth`` is not
a candidate; for a single word that is exact (the best postings are the best entries), and when one
clause's words are all read completely every entry matching all words is found. Otherwise the
result says ``capped`` and the page tells the visitor that only the best matches are shown.

Why every candidate gets the random access (no threshold-algorithm / MaxScore pruning; measured at
100,000 entries, 2026-11): the search page and the API count, facet and paginate all the ranked
entries, and at this depth no candidate's upper bound falls below the last listed entry's lower
bound, so nothing can be skipped. The stored ``impact`` is computed with the averages of its
indexing time, so the last impact read does not bound a posting's current score; only K1 + 1 does.
Skipping just the lookups that cannot change a clause's best alternative saves 43 % of them, but
78 % of the candidates must then be scored twice, which costs as much time as it saves.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

from .models import SearchDocument, SearchPosting, SearchTerm
from .query import ParsedQuery

# Completions of a prefix ("ohjaa*") read by sorted access: the most frequent ones.
PREFIX_COMPLETIONS = 8
# Postings read per term for the other alternatives of a word (compound parts, other languages,
# thesaurus expansions): they score lower, so their best postings are enough to bring in the
# entries that only they match, and a word with ten expansions still costs little.
SECONDARY_DEPTH = 16


@dataclass
class Retrieved:
    found: dict[int, dict[str, list[int]]]  # practice id -> query term ("abc*" for a prefix) -> tf per field
    lengths: dict[int, tuple[int, int, int]]
    exhaustive: bool  # every entry matching all the words is among the candidates


def _table() -> str:
    return connection.ops.quote_name(SearchPosting._meta.db_table)


def sql_in(column: str, values: list) -> tuple[str, list]:
    """``column IN values`` as SQL and parameters. PostgreSQL gets the values as one array: psycopg
    rewrites a statement with hundreds of placeholders on the client on every call (its query
    cache skips long statements), which cost more than the lookup itself at 100,000 entries."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)


@dataclass
class TermStatistics:
    df: dict[str, int]  # document frequency of each positive term; "abc*": its most common completion's
    completions: dict[str, list[str]]  # prefix -> its most frequent completions, best first


def term_statistics(query: ParsedQuery) -> TermStatistics:
    """Document frequencies of the query's positive terms and the completions of its prefixes, in
    one statement (the ranker's idf and the retrieval's depths both need them)."""
    exact, stems = set(), set()
    for clause in query.positive:
        for term in clause.terms():
            (stems.add(term[:-1]) if term.endswith("*") else exact.add(term))
    table = connection.ops.quote_name(SearchTerm._meta.db_table)
    statements, params = [], []
    if exact:
        condition, values = sql_in("term", sorted(exact))
        statements.append(f"SELECT NULL, term, df FROM {table} WHERE {condition}")
        params += values
    for stem in sorted(stems):  # the most frequent completions (a range of the unique index)
        statements.append(
            f"SELECT * FROM (SELECT %s, term, df FROM {table} WHERE term >= %s AND term < %s "
            "ORDER BY df DESC, term LIMIT %s) AS c"
        )
        params += [stem, stem, stem + "\uffff", PREFIX_COMPLETIONS]
    df: dict[str, int] = {}
    completions: dict[str, list[str]] = {stem: [] for stem in stems}
    if statements:
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(statements), params)
            rows = cursor.fetchall()
        for stem, term, count in rows:
            if stem is None:
                df[term] = count
            else:
                completions[stem].append((count, term))
    for stem, found in completions.items():
        found.sort(key=lambda item: (-item[0], item[1]))  # UNION ALL keeps no order
        # A prefix is as specific as its most common completion.
        df[stem + "*"] = found[0][0] if found else 0
        completions[stem] = [term for _count, term in found]
    return TermStatistics(df, completions)


def _postings(depths: dict[str, int], lookup: list[str], stems: list[str]) -> list[tuple]:
    """Sorted and random access: rows (0, entry, term, tf per field) of each term's best ``depths``
    postings; for the entries found there, rows (1, ...) of their postings of ``lookup`` and of
    terms starting with ``stems``, and rows (1, entry, NULL, title, summary and body length)."""
    postings = _table()
    columns = "practice_id, term, tf_title, tf_summary, tf_body"
    terms = sorted(depths)
    best = " UNION ALL ".join(
        f"SELECT * FROM (SELECT {columns} FROM {postings} WHERE term = %s "
        f"ORDER BY impact DESC, practice_id LIMIT %s) AS p{n}"
        for n in range(len(terms))
    )
    best_params: list = [value for term in terms for value in (term, depths[term])]

    def lookups(found: str, found_params: list) -> tuple[list[str], list]:
        statements, params = [], []
        if lookup:
            condition, values = sql_in("term", lookup)
            statements.append(f"SELECT 1, {columns} FROM {postings} WHERE {found} AND {condition}")
            params += [*found_params, *values]
        for stem in stems:  # a range of the primary key per entry
            statements.append(f"SELECT 1, {columns} FROM {postings} WHERE {found} AND term >= %s AND term < %s")
            params += [*found_params, stem, stem + "\uffff"]
        documents = connection.ops.quote_name(SearchDocument._meta.db_table)
        statements.append(
            f"SELECT 1, practice_id, NULL, title_len, summary_len, body_len FROM {documents} WHERE {found}"
        )
        params += found_params
        return statements, params

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement: a round trip to the server costs more than the lookups themselves.
            statements, params = lookups("practice_id IN (SELECT practice_id FROM candidates)", [])
            cursor.execute(
                f"WITH best AS MATERIALIZED ({best}), candidates AS (SELECT DISTINCT practice_id FROM best) "
                f"SELECT 0, {columns} FROM best UNION ALL " + " UNION ALL ".join(statements),
                best_params + params,
            )
            return cursor.fetchall()
        # SQLite has no round trips, and probes a list of values faster than a subquery's result.
        cursor.execute(best, best_params)
        rows = [(0, *row) for row in cursor.fetchall()]
        if rows:
            condition, ids = sql_in("practice_id", sorted({row[1] for row in rows}))
            statements, params = lookups(condition, ids)
            cursor.execute(" UNION ALL ".join(statements), params)
            rows += cursor.fetchall()
        return rows


def _random_access(practice_ids: list[int], terms: list[str]) -> list[tuple]:
    """The candidates' postings of ``terms`` (rows as in _postings)."""
    condition, ids = sql_in("practice_id", practice_ids)
    terms_condition, values = sql_in("term", terms)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1, practice_id, term, tf_title, tf_summary, tf_body FROM {_table()} "
            f"WHERE {condition} AND {terms_condition}",
            [*ids, *values],
        )
        return cursor.fetchall()


def retrieve(query: ParsedQuery, *, depth: int, statistics: TermStatistics | None = None) -> Retrieved:
    """Candidates for a query: the best ``depth`` postings of each word's own base forms (shared
    among the words of a longer query). The word's other alternatives get SECONDARY_DEPTH, or as
    many as its own forms when those are rare (then the expansions are what fills the page).
    ``statistics`` (from term_statistics) is read when not given."""
    statistics = statistics or term_statistics(query)
    df = statistics.df
    positive_exact, positive_stems = set(), set()
    # Shared among the words: a clause may hold several (a phrase, or words the thesaurus joined).
    words = sum(len(clause.alternatives[0].slots) for clause in query.positive)
    primary_depth = max(SECONDARY_DEPTH, depth // words)
    depths: dict[str, int] = {}
    for clause in query.positive:
        own = set().union(*clause.alternatives[0].slots)
        others = [t for t in clause.terms() - own if df.get(t, 0) > 0]
        # The entries the word's own forms cannot fill, shared among the other alternatives.
        missing = primary_depth - sum(df.get(t, 0) for t in own)
        secondary = max(SECONDARY_DEPTH, missing // max(len(others), 1))
        for term in clause.terms():
            if term.endswith("*"):
                positive_stems.add(term[:-1])
                continue
            positive_exact.add(term)
            if df.get(term, 0) > 0:
                wanted = primary_depth if term in own else secondary
                depths[term] = max(depths.get(term, 0), wanted)
    excluded_exact, excluded_stems = set(), set()
    for clause in query.excluded:
        for term in clause.terms():
            (excluded_stems.add(term[:-1]) if term.endswith("*") else excluded_exact.add(term))

    for terms in statistics.completions.values():
        for term in terms:
            depths[term] = max(depths.get(term, 0), primary_depth // len(terms))
    # A term without postings, or whose list is read to its end, is known for every candidate:
    # its absence from the list proves absence, so it needs no second look.
    complete_lists = {t for t in positive_exact if df.get(t, 0) < depths.get(t, 1)}
    lookup = sorted((positive_exact - complete_lists) | excluded_exact)
    stems = sorted(positive_stems | excluded_stems)
    rows = _postings(depths, lookup, stems) if depths else []

    postings: dict[tuple[int, str], tuple[int, int, int]] = {}
    lengths = {}
    per_term: dict[str, int] = {}
    for kind, pk, term, *tfs in rows:
        if term is None:
            lengths[pk] = tuple(tfs)
            continue
        postings[(pk, term)] = tfs
        if kind == 0:  # sorted access
            per_term[term] = per_term.get(term, 0) + 1
    candidates = sorted(lengths)
    # The document frequencies were read in another statement: a list they called complete that
    # came back full was written to in between; look its term up like the others.
    stale = sorted(t for t in complete_lists if per_term.get(t, 0) >= depths.get(t, 1))
    if stale and candidates:
        complete_lists -= set(stale)
        for _sorted, pk, term, *tfs in _random_access(candidates, stale):
            postings[(pk, term)] = tfs

    found: dict[int, dict[str, list[int]]] = {pk: {} for pk in candidates}
    exact = positive_exact | excluded_exact
    all_stems = tuple(stems)
    for (pk, term), tfs in postings.items():
        counts = found.get(pk)
        if counts is None:  # a posting without its document (being deleted): not a candidate
            continue
        if term in exact:
            counts[term] = list(tfs)
        if all_stems and term.startswith(all_stems):
            for stem in all_stems:
                if term.startswith(stem):
                    total = counts.setdefault(stem + "*", [0, 0, 0])
                    for i in range(3):
                        total[i] += tfs[i]
    # Exhaustive when some clause has only plain words whose lists were read completely.
    exhaustive = any(
        not any(t.endswith("*") for t in clause.terms()) and clause.terms() <= complete_lists
        for clause in query.positive
    )
    return Retrieved(found, lengths, exhaustive)


def excluded_match(query: ParsedQuery, counts: dict[str, list[int]]) -> bool:
    """True if the entry has an excluded word or phrase (every word of it somewhere, as the
    full-text engines' NOT does)."""
    for clause in query.excluded:
        for alternative in clause.alternatives:
            if all(any(term in counts for term in slot) for slot in alternative.slots):
                return True
    return False
