"""Search reads: ranked entries, facets, snippets and "did you mean"."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from methodbank.catalog.models import Practice, PublicationStatus

from .engines import candidate_limit
from .expansion import expand_query
from .facets import FacetResult, apply_filters, facet_counts
from .lexicon import get_lexicon
from .models import SearchTerm
from .query import ParsedQuery, parse_query
from .ranking import Candidate, Scorer, load_candidates, phrase_pattern
from .retrieval import excluded_match, retrieve, term_statistics
from .snippets import hit_texts
from .termvectors import Lookup
from .thesaurus import get_thesaurus

# Fewer entries than this match every word -> entries matching most of the words follow.
MIN_COMPLETE_MATCHES = 5
# A capped search reads deeper until this many entries match every word (one page of results):
# DEEPEN times the depth per pass, at most MAX_DEPTH times the result cap. Measured at 100,000
# entries (bench/search_bench.py): one query in 31 needed it ("digitaalinen jalanjälki", 14 entries
# of the 300+ models alone with both words; 46 after one deeper pass, 11 ms on PostgreSQL).
FILL_COMPLETE = 20
DEEPEN = 4
MAX_DEPTH = 16


@dataclass
class RankedEntry:
    practice_id: int
    score: float
    matched: int
    complete: bool


@dataclass
class Ranking:
    query: ParsedQuery
    entries: list[RankedEntry]
    partial: bool = False  # entries matching only some of the words were added
    capped: bool = False  # more entries matched than the engine was asked for


def phrase_in_texts(texts, clause) -> bool:
    """The phrase's words stand next to each other in one field (compared after analysis)."""
    pattern = phrase_pattern(clause.phrase)
    return any(pattern.search(text) for text in texts)


def _phrase_ok(candidate: Candidate, clause) -> bool:
    return phrase_in_texts(candidate.texts, clause)


def _sort_key(candidate: Candidate):
    # Ties are broken by id so that both engines list equal scores in the same order.
    return (-candidate.matched, -round(candidate.score, 9), candidate.practice_id)


def _score(query: ParsedQuery, scorer: Scorer, retrieved) -> tuple[list[tuple], list[tuple]]:
    """The retrieved candidates scored: (entries matching every clause, the others), each a list of
    sort tuples (-clauses matched, -rounded score, id, score)."""
    candidates = retrieved.candidates
    if query.excluded:
        excluded = Lookup({t for clause in query.excluded for t in clause.terms() if not t.endswith("*")})
        candidates = [
            (pk, lengths, vector)
            for pk, lengths, vector in candidates
            if not excluded_match(query, {**excluded(vector), **retrieved.prefix_counts.get(pk, {})})
        ]
    ids = [pk for pk, _lengths, _vector in candidates]
    extras = [retrieved.prefix_counts.get(pk) for pk in ids] if retrieved.prefix_counts else None
    scores = scorer.clause_scores([c[1] for c in candidates], [c[2] for c in candidates], extras)
    phrases = scorer.phrase_clauses()
    if phrases:
        # Adjacency needs the text: load it only for the entries that have every word of a phrase.
        wanted = sorted({ids[i] for number, _clause in phrases for i in np.flatnonzero(scores[number])})
        texts = {pk: candidate.texts for pk, candidate in load_candidates(wanted).items()}
        for number, clause in phrases:
            for i in np.flatnonzero(scores[number]):
                if not (ids[i] in texts and phrase_in_texts(texts[ids[i]], clause)):
                    scores[number, i] = 0.0

    # Clauses matched and the summed score per entry (added in clause order, as sum() would).
    clause_count = len(query.positive)
    matched = np.count_nonzero(scores, axis=0).tolist()
    totals = scores[0].copy()
    for row in scores[1:]:
        totals += row
    complete, rest = [], []
    for pk, count, score in zip(ids, matched, totals.tolist(), strict=True):
        if count:
            # Ties are broken by id so that both engines list equal scores in the same order.
            (complete if count == clause_count else rest).append((-count, -round(score, 9), pk, score))
    return complete, rest


def rank_entries(query: ParsedQuery, *, limit: int | None = None, within: QuerySet | None = None) -> Ranking:
    """The best matching published entries (at most ``limit``), best first. The postings give the
    candidates (retrieval.py), Python ranks them (ranking.py): the same on both engines.
    ``within``: only entries of this queryset (facet filters), read from their own best postings.

    Words that seldom meet among each other's best postings ("digitaalinen jalanjälki" in a
    synthetic catalog where they are independent) leave few entries with every word; then the
    lists are read DEEPEN times deeper, up to MAX_DEPTH times, until a page is full or all are found.
    """
    if query.is_empty:
        return Ranking(query, [])
    limit = limit or candidate_limit()
    statistics = term_statistics(query)
    scorer = Scorer(query, statistics.df)
    depth = limit
    while True:
        retrieved = retrieve(query, depth=depth, statistics=statistics, within=within)
        complete, rest = _score(query, scorer, retrieved)
        if retrieved.exhaustive or len(complete) >= min(FILL_COMPLETE, limit) or depth >= limit * MAX_DEPTH:
            break
        depth *= DEEPEN
    complete.sort()
    capped = not retrieved.exhaustive or len(complete) > limit
    clause_count = len(query.positive)
    entries = [RankedEntry(pk, score, clause_count, True) for _m, _r, pk, score in complete[:limit]]
    partial = False
    if len(complete) < MIN_COMPLETE_MATCHES and clause_count > 1 and rest:
        rest.sort()
        partial = True
        entries += [RankedEntry(pk, score, -m, False) for m, _r, pk, score in rest[: limit - len(entries)]]
    return Ranking(query, entries, partial=partial, capped=capped)


def search_query_parse(text: str, *, language: str = "fi", expand: bool = True) -> ParsedQuery:
    """Parse the query and expand it: the thesaurus, then the fuzzy stage (expansion.py) for the
    words no entry has."""
    query = parse_query(text, language=language, thesaurus=get_thesaurus() if expand else None)
    if expand and not query.is_empty:
        query = expand_query(query, get_lexicon())
    return query


def _id_set(ids: list[int]) -> RawSQL:
    """The ranked ids as one parameter: the facet queries filter by up to a few hundred ids seven
    times, and an IN list of that length is prepared value by value by the ORM on every query."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::integer[])", [list(ids)])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(ids))])


def _published() -> QuerySet:
    return Practice.objects.filter(status=PublicationStatus.PUBLISHED)


@dataclass
class SearchHit:
    practice: Practice
    score: float
    complete: bool
    title_html: str
    snippet_html: str


@dataclass
class SearchResults:
    text: str
    query: ParsedQuery | None
    entries: list[RankedEntry]  # after the facet filters, best first
    facets: list[FacetResult]
    filters: dict[str, list[str]]
    partial: bool = False
    capped: bool = False
    suggestion: str = ""
    unfiltered_count: int | None = None  # hits without the facet filters, when the filters empty it
    browsing: bool = False  # no words: every published entry, by title
    hits: list[SearchHit] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def complete_count(self) -> int:
        return sum(1 for e in self.entries if e.complete)


def search_entries(*, text: str, filters: dict[str, list[str]] | None = None, language: str = "fi") -> SearchResults:
    """Rank the published entries for a query and a facet selection (no page rendering yet)."""
    filters = filters or {}
    text = (text or "").strip()[:500]
    query = search_query_parse(text, language=language) if text else None
    if query is None:
        base = _published()
        filtered = apply_filters(base, filters).order_by("title", "pk")
        entries = [RankedEntry(pk, 0.0, 0, True) for pk in filtered.values_list("pk", flat=True)]
        return SearchResults(text, None, entries, facet_counts(base, filters), filters, browsing=True)
    if query.is_empty:  # only stopwords or exclusions: nothing to rank by
        return SearchResults(text, query, [], [], filters)
    ranking = rank_entries(query)
    ranked_ids = [e.practice_id for e in ranking.entries]
    base = _published().filter(pk__in=_id_set(ranked_ids))
    entries, capped = ranking.entries, ranking.capped
    if filters and capped:
        # The best entries overall may hold few of the filtered ones ("ohjaus" in one small
        # project): rank again from the filtered entries' own best postings. The facet counts stay
        # those of the best entries overall, as the page says.
        within = rank_entries(query, within=apply_filters(_published(), filters))
        entries, capped = within.entries, within.capped
    elif filters:
        allowed = set(apply_filters(base, filters).values_list("pk", flat=True))
        entries = [e for e in entries if e.practice_id in allowed]
    results = SearchResults(
        text, query, entries, facet_counts(base, filters), filters, partial=ranking.partial, capped=capped
    )
    results.partial = any(not e.complete for e in entries)
    if not entries:
        if filters and ranking.entries:
            results.unfiltered_count = len(ranking.entries)
        else:
            results.suggestion = suggest_query(query, language=language)
    return results


def search_hits(results: SearchResults, entries: list[RankedEntry], *, language: str = "fi") -> list[SearchHit]:
    """Load and highlight one page of results (a fixed number of queries), in the visitor's language."""
    practices = (
        Practice.objects.filter(pk__in=[e.practice_id for e in entries])
        .select_related("project")
        .prefetch_related("translations", "project__translations")
        .in_bulk()
    )
    terms = results.query.highlight_terms() if results.query else set()
    hits = []
    for entry in entries:
        practice = practices.get(entry.practice_id)
        if practice is None:
            continue
        title_html, snippet_html = hit_texts(practice, terms, language)
        hits.append(SearchHit(practice, entry.score, entry.complete, title_html, snippet_html))
    return hits


# --- "did you mean" ------------------------------------------------------------------------


def closest_term(word: str, *, minimum: float = 0.75) -> str:
    """The index term closest to a word by edit similarity (same first letter, similar length)."""
    word = word.lower()
    if len(word) < 3:
        return ""
    rows = SearchTerm.objects.filter(term__gte=word[0], term__lt=word[0] + "\uffff").values_list("term", "df")
    best, best_key = "", (minimum, 0)
    for term, df in rows.iterator(chunk_size=5000):
        if abs(len(term) - len(word)) > 3 or term == word:
            continue
        ratio = difflib.SequenceMatcher(None, word, term).ratio()
        if (ratio, df) > best_key:
            best, best_key = term, (ratio, df)
    return best


def suggest_query(query: ParsedQuery, *, language: str = "fi") -> str:
    """A corrected query that finds something, or "" (each unknown word replaced by its closest term)."""
    known = set(SearchTerm.objects.filter(term__in=query.highlight_terms()).values_list("term", flat=True))
    changed, words = False, []
    for clause in query.clauses:
        prefix = "-" if clause.excluded else ""
        text = f'"{clause.text}"' if clause.kind == "phrase" else clause.text
        if not clause.excluded and clause.kind == "word" and not (clause.terms() & known):
            replacement = closest_term(clause.text)
            if replacement:
                text, changed = replacement, True
        words.append(prefix + text)
    if not changed:
        return ""
    suggestion = " ".join(words)
    if rank_entries(search_query_parse(suggestion, language=language)).entries:
        return suggestion
    return ""
