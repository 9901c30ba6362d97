"""Top-k candidate retrieval: the impact-ordered postings find the candidates, their term vectors
give their frequencies (models.SearchPosting, models.SearchTermVector).

Both engines answer a query from the same tables in the same steps, so SQLite and PostgreSQL return
the same candidates and ranking.py scores them identically:

1. *Statistics*: the document frequencies of the query's terms and the completions of its prefixes
   (term_statistics, one statement). They decide how deep each list is read.
2. *Sorted access*: for the terms to read, their ``depth`` best postings by impact (one UNION ALL,
   each branch an index-only range scan of (term, impact DESC, entry) that stops after ``depth``
   rows). A term with fewer postings than that is read completely. Of an alternative with several
   slots (compound parts, a phrase, a thesaurus expansion of several words) only the rarest slot is
   read: every entry it matches has that slot.
3. *Random access*: the candidates' term vectors (one probe each, in the same statement), from which
   the ranker reads every query term of every candidate, not only the lists it was found in; and,
   for a prefix query, the candidates' postings in the prefix's range of the primary key.

Cost is bounded by depth × terms whatever the catalog size: a word found in 70 % of 100,000 entries
costs no more than a rare one. The price is that an entry that is in no read list's top ``depth`` is
not a candidate; for a single word that is exact (the best postings are the best entries), and when
one clause's lists are read completely every entry matching all words is found. Otherwise the result
says ``capped`` and the page tells the visitor that only the best matches are shown.

Why every candidate is scored (no threshold-algorithm / MaxScore pruning; measured at 100,000
entries, 2026-11): the search page and the API count, facet and paginate all the ranked entries,
and at this depth no candidate's upper bound falls below the last listed entry's lower bound, so
nothing can be skipped. The stored ``impact`` is computed with the averages of its indexing time, so
the last impact read does not bound a posting's current score; only K1 + 1 does.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet

from .models import SearchPosting, SearchTerm, SearchTermVector
from .query import ParsedQuery

# Completions of a prefix ("ohjaa*") read by sorted access: the most frequent ones.
PREFIX_COMPLETIONS = 8
# Postings read per term for the other alternatives of a word (compound parts, other languages,
# thesaurus expansions), per slot the alternative has: they score lower, so their best postings are
# enough to bring in the entries that only they match, and a word with ten expansions still costs
# little. Measured at 100,000 entries (bench/search_bench.py, 31 queries): 12 and reading only the
# rarest slot found 85.5 % of the true top 10 with 4,663 candidates (at most 204 for one query);
# 16 and every slot, 82.6 % with 5,325 (at most 298).
SECONDARY_DEPTH = 12


@dataclass
class Retrieved:
    # Per candidate: (practice id, (title, summary, body length), term vector).
    candidates: list[tuple[int, tuple[int, int, int], bytes]]
    # practice id -> "abc*" -> the summed frequencies (title, summary, body) of the terms starting
    # with a prefix of the query (term vectors hold no term strings to match prefixes against).
    prefix_counts: dict[int, dict[str, list[int]]]
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


def _best_lists(depths: dict[str, int], *, within: bool = False) -> tuple[str, list]:
    """One statement's SQL and parameters: for each term, the entries of its ``depths`` best
    postings (each branch an index-only range scan of (term, impact DESC, entry)). ``within``: only
    entries in the statement's ``allowed`` table (the range scan then skips the others)."""
    postings = _table()
    terms = sorted(depths)
    # Both engines must walk the term's postings best first and stop after ``depth`` allowed ones
    # (the allowed entries as a hash set). Left to themselves they probe the primary key once per
    # allowed entry (SQLite) or join all the term's postings and sort them (PostgreSQL), 10 to 20
    # times slower for a filter such as "models" (one entry in seven) at 100,000 entries. A unary
    # plus keeps SQLite off the primary key; a sublink inside COALESCE keeps PostgreSQL from turning
    # it into a join, so it becomes a hashed SubPlan evaluated row by row.
    restriction = ""
    if within:
        test = "practice_id IN (SELECT pk FROM allowed)"
        restriction = (
            f" AND COALESCE({test}, false)" if connection.vendor == "postgresql" else f" AND +{test}"
        )
    sql = " UNION ALL ".join(
        f"SELECT * FROM (SELECT practice_id FROM {postings} WHERE term = %s{restriction} "
        f"ORDER BY impact DESC, practice_id LIMIT %s) AS p{n}"
        for n in range(len(terms))
    )
    return sql, [value for term in terms for value in (term, depths[term])]


def _allowed(within: QuerySet | None) -> tuple[str, list]:
    """A ``WITH`` clause naming the entries of a queryset ``allowed`` (computed once per statement),
    or nothing."""
    if within is None:
        return "", []
    sql, params = within.order_by().values("pk").query.sql_with_params()
    return f"allowed(pk) AS MATERIALIZED ({sql})", list(params)


def _binary_rows(sql: str, params: list) -> list[tuple]:
    """PostgreSQL: the rows of a statement in the binary format. Django's cursors bind parameters
    on the client, which only returns text, where bytea travels as hex: decoding 230 term vectors
    cost 1.3 ms more than the binary transfer (measured at 100,000 entries)."""
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, binary=True)
        return cursor.fetchall()


def _fetch(
    depths: dict[str, int], stems: list[str], within: QuerySet | None = None
) -> tuple[list[tuple], list[tuple]]:
    """Sorted and random access: the candidates' rows (entry, title, summary and body length, term
    vector) for the entries among each term's best ``depths`` postings (of the entries in
    ``within``, if given), and for them the postings (entry, term, title, summary and body
    frequency) of the terms that start with ``stems``."""
    vectors = connection.ops.quote_name(SearchTermVector._meta.db_table)
    postings = _table()
    allowed, allowed_params = _allowed(within)
    best, best_params = _best_lists(depths, within=within is not None)
    best_params = allowed_params + best_params
    vector_columns = "practice_id, title_len, summary_len, body_len, terms"
    posting_columns = "practice_id, term, tf_title, tf_summary, tf_body"

    def prefixes(found: str, found_params: list) -> tuple[str, list]:
        # One range of the primary key (entry, term) per candidate and prefix.
        statements, params = [], []
        for stem in stems:
            statements.append(
                f"SELECT {posting_columns} FROM {postings} WHERE {found} AND term >= %s AND term < %s"
            )
            params += [*found_params, stem, stem + "\uffff"]
        return " UNION ALL ".join(statements), params

    if connection.vendor == "postgresql":
        # One statement: a round trip to the server costs more than the lookups themselves.
        # The two kinds of rows share its columns: a candidate's 5th is its vector, a prefix
        # posting's 2nd its term.
        found = "practice_id IN (SELECT practice_id FROM candidates)"
        sql = (
            f"WITH {allowed + ', ' if allowed else ''}best AS MATERIALIZED ({best}), "
            "candidates AS (SELECT DISTINCT practice_id FROM best) "
            f"SELECT practice_id, NULL::varchar, title_len, summary_len, body_len, terms FROM {vectors} WHERE {found}"
        )
        params = list(best_params)
        if stems:
            more, more_params = prefixes(found, [])
            sql += f" UNION ALL SELECT *, NULL::bytea FROM ({more}) AS prefixes"
            params += more_params
        candidates, prefixed = [], []
        for pk, term, a, b, c, vector in _binary_rows(sql, params):
            if term is None:
                candidates.append((pk, a, b, c, vector))
            else:
                prefixed.append((pk, term, a, b, c))
        return candidates, prefixed
    with connection.cursor() as cursor:
        # SQLite: the candidates' vectors in one statement (30 % faster than reading the entries
        # first and probing them as a list of values), then the prefixes' postings of those.
        cursor.execute(
            f"{'WITH ' + allowed + ' ' if allowed else ''}"
            f"SELECT {vector_columns} FROM {vectors} WHERE practice_id IN (SELECT practice_id FROM ({best}))",
            best_params,
        )
        candidates = cursor.fetchall()
        prefixed = []
        if stems and candidates:
            condition, params = sql_in("practice_id", sorted(row[0] for row in candidates))
            cursor.execute(*prefixes(condition, params))
            prefixed = cursor.fetchall()
        return candidates, prefixed


def _terms_to_read(alternative, df: dict[str, int]) -> set[str]:
    """The terms whose best postings bring in the entries an alternative matches. Every such entry
    has a term of each of its slots, so one slot is enough, and the rarest wastes the fewest rows on
    entries without the other slots (reading every slot of "ammatillinen koulutus" brought in
    entries with only one of the words). None if a slot is in no entry: nothing can match. All its
    plain terms if it has a prefix (the prefix's completions are read separately)."""
    if any(t.endswith("*") for slot in alternative.slots for t in slot):
        return {t for slot in alternative.slots for t in slot if not t.endswith("*") and df.get(t, 0) > 0}
    totals = [(sum(df.get(t, 0) for t in slot), sorted(slot)) for slot in alternative.slots]
    rarest, terms = min(totals)
    return {t for t in terms if df.get(t, 0) > 0} if rarest else set()


def retrieve(
    query: ParsedQuery,
    *,
    depth: int,
    statistics: TermStatistics | None = None,
    within: QuerySet | None = None,
) -> Retrieved:
    """Candidates for a query: the best ``depth`` postings of each word's own base forms (shared
    among the words of a longer query). The word's other alternatives get SECONDARY_DEPTH per slot,
    or as many as its own forms leave unfilled when those are rare (then the expansions are what
    fills the page). ``statistics`` (from term_statistics) is read when not given. ``within``: a
    queryset of entries (facet filters) the candidates must come from: their best postings are read,
    not the best postings' members of it, which a filter would leave few of."""
    statistics = statistics or term_statistics(query)
    df = statistics.df
    positive_exact, positive_stems = set(), set()
    # Shared among the words: a clause may hold several (a phrase, or words the thesaurus joined).
    words = sum(len(clause.alternatives[0].slots) for clause in query.positive)
    primary_depth = max(SECONDARY_DEPTH, depth // words)
    depths: dict[str, int] = {}
    for clause in query.positive:
        first, *rest = clause.alternatives
        budget = primary_depth * len(first.slots)
        own = _terms_to_read(first, df)
        # The other alternatives' terms to read, with the number of slots each stands for.
        others: dict[str, int] = {}
        for alternative in rest:
            for term in _terms_to_read(alternative, df) - own:
                others[term] = max(others.get(term, 0), len(alternative.slots))
        # The entries the word's own forms cannot fill, shared among the other alternatives.
        missing = budget - sum(df.get(t, 0) for t in own)
        secondary = max(SECONDARY_DEPTH, missing // max(sum(others.values()), 1))
        for term in clause.terms():
            (positive_stems.add(term[:-1]) if term.endswith("*") else positive_exact.add(term))
        for term in own:  # base forms of one word share its budget ("tuen": tuki, tukea)
            depths[term] = max(depths.get(term, 0), max(SECONDARY_DEPTH, budget // len(own)))
        for term, slots in others.items():  # the rows its alternative's other slots would have had
            depths[term] = max(depths.get(term, 0), secondary * slots)
    excluded_exact, excluded_stems = set(), set()
    for clause in query.excluded:
        for term in clause.terms():
            (excluded_stems.add(term[:-1]) if term.endswith("*") else excluded_exact.add(term))

    for terms in statistics.completions.values():
        for term in terms:
            depths[term] = max(depths.get(term, 0), primary_depth // len(terms))
    stems = sorted(positive_stems | excluded_stems)
    candidates, prefixed = _fetch(depths, stems, within) if depths else ([], [])

    prefix_counts: dict[int, dict[str, list[int]]] = {}
    for pk, term, *tfs in prefixed:
        for stem in stems:
            if term.startswith(stem):
                total = prefix_counts.setdefault(pk, {}).setdefault(stem + "*", [0, 0, 0])
                for i in range(3):
                    total[i] += tfs[i]
    # A term without postings, or whose list is read to its end, is known for every entry: the
    # entries that have it are all candidates. (Its document frequency was read in another
    # statement; an entry indexed in between may be missed, and the page says "capped" a moment late.)
    complete_lists = {
        t for t in positive_exact if df.get(t, 0) < depths.get(t, 1)
    }  # within a filter: fewer still

    def all_found(alternative) -> bool:  # every entry it matches has some slot read completely
        return any(all(t in complete_lists for t in slot) for slot in alternative.slots)

    # Exhaustive when some clause (without prefixes) has every alternative found that way: every
    # entry matching all the words matches that clause.
    exhaustive = any(
        not any(t.endswith("*") for t in clause.terms()) and all(all_found(a) for a in clause.alternatives)
        for clause in query.positive
    )
    rows = [
        (pk, (title_len, summary_len, body_len), vector)
        for pk, title_len, summary_len, body_len, vector in candidates
    ]
    return Retrieved(rows, prefix_counts, exhaustive)


def excluded_match(query: ParsedQuery, counts: dict[str, list[int]]) -> bool:
    """True if the entry has an excluded word or phrase (every word of it somewhere, as the
    full-text engines' NOT does)."""
    for clause in query.excluded:
        for alternative in clause.alternatives:
            if all(any(term in counts for term in slot) for slot in alternative.slots):
                return True
    return False
