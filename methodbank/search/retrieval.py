"""Top-k candidate retrieval from the impact-ordered postings (models.SearchPosting).

Both engines answer a query from the same table with the same two statements, so SQLite and
PostgreSQL return the same candidates and ranking.py scores them identically:

1. *Sorted access*: for each term of the query, its ``depth`` best postings by impact (one UNION ALL
   statement, each branch an index range scan of (term, impact DESC) that stops after ``depth``
   rows). A term with fewer postings than that is read completely.
2. *Random access*: for the candidates found, the postings of the terms whose list was cut short
   (and of prefixes and excluded words) through the primary key (entry, term), so every candidate
   is scored on all of its query terms, not only on the lists it was found in.

Cost is bounded by depth × terms whatever the catalog size: a word found in 70 % of 100,000 entries
costs no more than a rare one. The price is that an entry that is in no term's top ``depth`` is not
a candidate; for a single word that is exact (the best postings are the best entries), and when one
clause's words are all read completely every entry matching all words is found. Otherwise the
result says ``capped`` and the page tells the visitor that only the best matches are shown.
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


def _prefix_completions(stems: set[str]) -> dict[str, list[str]]:
    result = {}
    for stem in sorted(stems):
        result[stem] = list(
            SearchTerm.objects.filter(term__gte=stem, term__lt=stem + "\uffff")
            .order_by("-df", "term")
            .values_list("term", flat=True)[:PREFIX_COMPLETIONS]
        )
    return result


def _sorted_access(depths: dict[str, int]) -> list[tuple]:
    if not depths:
        return []
    terms = sorted(depths)
    branch = (
        f"SELECT * FROM (SELECT practice_id, term, tf_title, tf_summary, tf_body FROM {_table()} "
        "WHERE term = %s ORDER BY impact DESC, practice_id LIMIT %s) AS p{n}"
    )
    sql = " UNION ALL ".join(branch.format(n=n) for n in range(len(terms)))
    params = [value for term in terms for value in (term, depths[term])]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _random_access(practice_ids: list[int], terms: list[str], stems: list[str]) -> list[tuple]:
    if not practice_ids or not (terms or stems):
        return []
    ids = ", ".join(["%s"] * len(practice_ids))
    columns = f"SELECT practice_id, term, tf_title, tf_summary, tf_body FROM {_table()}"
    statements, params = [], []
    if terms:
        statements.append(f"{columns} WHERE practice_id IN ({ids}) AND term IN ({', '.join(['%s'] * len(terms))})")
        params += [*practice_ids, *terms]
    for stem in stems:  # a range of the primary key per entry
        statements.append(f"{columns} WHERE practice_id IN ({ids}) AND term >= %s AND term < %s")
        params += [*practice_ids, stem, stem + "\uffff"]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(statements), params)
        return cursor.fetchall()


def retrieve(query: ParsedQuery, *, depth: int, df: dict[str, int]) -> Retrieved:
    """Candidates for a query: the best ``depth`` postings of each word's own base forms (shared
    among the words of a longer query). The word's other alternatives get SECONDARY_DEPTH, or as
    many as its own forms when those are rare (then the expansions are what fills the page).
    ``df`` holds the document frequencies of the positive terms (see ranking.Scorer)."""
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

    completions = _prefix_completions(positive_stems)
    for terms in completions.values():
        for term in terms:
            depths[term] = max(depths.get(term, 0), primary_depth // len(terms))
    rows = _sorted_access(depths)
    per_term: dict[str, int] = {}
    for row in rows:
        per_term[row[1]] = per_term.get(row[1], 0) + 1
    # A term without postings, or whose list was read to its end, is known for every candidate.
    complete_lists = {t for t in positive_exact if per_term.get(t, 0) < depths.get(t, 1)}

    postings: dict[tuple[int, str], tuple[int, int, int]] = {(r[0], r[1]): r[2:] for r in rows}
    candidates = sorted({r[0] for r in rows})
    # Terms whose absence from a list read in full proves absence need no second look.
    lookup = sorted((positive_exact - complete_lists) | excluded_exact)
    stems = sorted(positive_stems | excluded_stems)
    for row in _random_access(candidates, lookup, stems):
        postings[(row[0], row[1])] = row[2:]

    found: dict[int, dict[str, list[int]]] = {pk: {} for pk in candidates}
    exact = positive_exact | excluded_exact
    all_stems = tuple(stems)
    for (pk, term), tfs in postings.items():
        counts = found[pk]
        if term in exact:
            counts[term] = list(tfs)
        if all_stems and term.startswith(all_stems):
            for stem in all_stems:
                if term.startswith(stem):
                    total = counts.setdefault(stem + "*", [0, 0, 0])
                    for i in range(3):
                        total[i] += tfs[i]
    lengths = {}
    if candidates:
        table = connection.ops.quote_name(SearchDocument._meta.db_table)
        with connection.cursor() as cursor:  # raw: the ORM's per-value preparation of a long IN list costs more
            cursor.execute(
                f"SELECT practice_id, title_len, summary_len, body_len FROM {table} "
                f"WHERE practice_id IN ({', '.join(['%s'] * len(candidates))})",
                candidates,
            )
            lengths = {row[0]: row[1:] for row in cursor.fetchall()}
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
