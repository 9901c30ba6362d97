"""Search reads: ranked entries, facets, snippets and "did you mean"."""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import translation
from django.utils.translation import get_language

from methodbank.catalog.models import Placement, Practice, PracticeKind, PublicationStatus, Theme
from methodbank.catalog.selectors import front_page_figures
from methodbank.catalog.translations import interface_language
from methodbank.core.cache import (
    VERSION_KEY,
    cached_until_catalog_changes,
    figure_key,
    read_into_request_memo,
    request_memo,
)
from methodbank.core.pagination import ChainedLists

from . import feedback, process_store
from .bm25 import INDEX_VERSION_KEY, stats_key
from .expansion import expand_query
from .facet_index import facet_index, facet_index_if_loaded, index_counts
from .facets import CONCEPT_FACETS, FacetResult, all_facets, apply_filters, facet_counts
from .lexicon import get_lexicon
from .models import FACET_CATEGORIES, Concept, ConceptCategory, FacetAssignment, FacetStatus
from .query import ParsedQuery, parse_query, query_languages
from .ranking import Candidate, Scorer, load_candidates, phrase_pattern
from .retrieval import excluded_match, retrieve, term_statistics
from .snippets import hit_texts, split_terms
from .spelling import correct_query
from .termvectors import Lookup
from .thesaurus import THESAURUS_VERSION_KEY, get_thesaurus

# Fewer entries than this match every word -> entries matching some of the words follow. A page
# (10): when fewer match every word, the page is filled by coverage rather than left short ("miten
# ehkäistä opintojen keskeyttämistä": nine entries had both words, and the entry on dropping out
# itself, without "ehkäistä", was not listed). 5 before (rel10: tuning recall@10 0.871 -> 0.874).
MIN_COMPLETE_MATCHES = 10
# A capped search reads deeper until this many entries match every word (one page of results):
# DEEPEN times the depth per pass, at most MAX_DEPTH times the result cap. Measured at 100,000
# entries (bench/search_bench.py): one query in 31 needed it ("digitaalinen jalanjälki", 14 entries
# of the 300+ models alone with both words; 46 after one deeper pass, 11 ms on PostgreSQL).
FILL_COMPLETE = 20
# An entry matching only some of the words is listed among the others when the words it matches
# carry at least this share of the query's idf (see _score).
PARTIAL_COVERAGE = 0.6
# A query of this many clauses or more (a question typed as a sentence) weighs coverage by its
# square root instead of its square: the right entry of a long question shares only its rare words,
# and the words it lacks are many, so coverage² buried it under entries sharing several everyday
# words. Measured on bench/relevance (Session 8, rel7): held-out questions 0.571 -> 0.617
# recall@10, exponent 1 gave 0.594. From 3 clauses since the question words are dropped (query.py
# FRAMING_*: "miten tukea romaninuorten koulunkäyntiä" has three clauses left) and the tuning set
# has questions (rel10): tuning MRR 0.893 -> 0.897 (its questions 0.742 -> 0.790), held out 0.912
# -> 0.919, recall@10 unchanged on both.
LONG_QUERY_CLAUSES = 3
LONG_QUERY_COVERAGE_EXPONENT = 0.5
DEEPEN = 4
MAX_DEPTH = 16


def candidate_limit() -> int:
    # 120: the postings read per word (shared among the words of a query) and the ranked results
    # kept. Measured at 100,000 entries: 250 cost 1.7x the CPU time for result pages nobody reads;
    # a word found in fewer entries than this is still read completely (every entry found).
    return getattr(settings, "SEARCH_CANDIDATE_LIMIT", 120)


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
    sort tuples (-rounded rank, id, score, coverage, clauses matched)."""
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
    # The share of the query's information an entry covers: its matched clauses' weights (idf).
    weights = np.asarray(scorer.clause_weights, dtype=np.float64)
    covered = ((scores > 0).T @ weights / weights.sum()).tolist() if weights.sum() else [1.0] * len(ids)
    exponent = LONG_QUERY_COVERAGE_EXPONENT if clause_count >= LONG_QUERY_CLAUSES else 2
    complete, rest = [], []
    for pk, count, score, coverage in zip(ids, matched, totals.tolist(), covered, strict=True):
        if count:
            # Ranked by score times coverage squared: an entry covering the informative words
            # ranks above one matching every word when those it has are common (a long query:
            # the square root, see LONG_QUERY_CLAUSES). Ties are broken by id so that both
            # engines list equal scores in the same order.
            rank = score * coverage * coverage if exponent == 2 else score * coverage**exponent
            (complete if count == clause_count else rest).append(
                (-round(rank, 9), pk, score, coverage, count)
            )
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
    capped = not retrieved.exhaustive or len(complete) > limit
    # Entries matching some of the words join those matching all when they cover most of the
    # query's information (IDF-weighted), and all of them when few entries match every word.
    clause_count = len(query.positive)
    few = len(complete) < MIN_COMPLETE_MATCHES and clause_count > 1
    joined = [item for item in rest if few or item[3] >= PARTIAL_COVERAGE]
    ranked = sorted(complete + joined)
    if feedback.applies(query):
        # A question's best entries' shared words reorder the candidates (feedback.py, rel11:
        # tuning questions 0.617 -> 0.659 recall@10).
        vectors = {pk: (lengths, vector) for pk, lengths, vector in retrieved.candidates}
        ranked = feedback.rerank(query, ranked, vectors)
    ranked = ranked[:limit]
    entries = [RankedEntry(pk, score, count, count == clause_count) for _r, pk, score, _c, count in ranked]
    partial = any(not entry.complete for entry in entries)
    return Ranking(query, entries, partial=partial, capped=capped)


def search_query_parse(text: str, *, language: str = "fi", expand: bool = True) -> ParsedQuery:
    """Parse the query and expand it: the spelling stage (spelling.py), the thesaurus, then the
    fuzzy stage (expansion.py) for the words no entry has."""
    if not expand:
        return parse_query(text, language=language)
    query = parse_query(text, language=language)
    if query.is_empty:
        return query
    lexicon, thesaurus = get_lexicon(), get_thesaurus()
    languages = query_languages(language)
    # Unknown words are corrected before the thesaurus, so that it widens the word meant.
    query = correct_query(query, lexicon.df, languages=languages, thesaurus=thesaurus)
    query = ParsedQuery(query.text, thesaurus.expand(query.clauses, languages), query.corrections)
    return expand_query(query, lexicon, thesaurus)


def _id_set(ids: list[int]) -> RawSQL:
    """The ranked ids as one parameter: the facet queries filter by up to a few hundred ids seven
    times, and an IN list of that length is prepared value by value by the ORM on every query."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::integer[])", [list(ids)])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(ids))])


def _published() -> QuerySet:
    return Practice.objects.published()


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
    suggestion: str = ""  # "Did you mean": the query with the words read as others corrected
    suggestions: list[str] = field(default_factory=list)  # with no or few results: other searches
    unfiltered_count: int | None = None  # hits without the facet filters, when the filters empty it
    browsing: bool = False  # no words: every published entry, by title
    hits: list[SearchHit] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def complete_count(self) -> int:
        if self.browsing:  # no words: every entry is complete
            return self.count
        return sum(1 for e in self.entries if e.complete)


class BrowsedEntries(Sequence):
    """The entries of a search without words (every published entry, or those of the filters), by
    title, read from the database a page at a time: the empty search page built a list of
    100,000 ids on every view at 100,000 entries."""

    def __init__(self, queryset, *, count=None):
        self._ids = queryset.values_list("pk", flat=True)
        self._count = count  # known already (browsed_count): not counted again

    def __len__(self):
        if self._count is None:
            self._count = self._ids.count()
        return self._count

    def __getitem__(self, item):
        if isinstance(item, slice):
            start, stop, step = item.indices(len(self))
            return [RankedEntry(pk, 0.0, 0, True) for pk in self._ids[start:stop]][::step]
        if item < 0:
            item += len(self)
        rows = self[item : item + 1]
        if not rows:
            raise IndexError(item)
        return rows[0]

    def __iter__(self):
        return (RankedEntry(pk, 0.0, 0, True) for pk in self._ids.iterator(chunk_size=2000))


# A selection's count, when the facet index served is a previous version's (see _browsed_count),
# is kept for at most this long: a selection seldom asked must not stay for good.
FILTERED_FACETS_SECONDS = 3600


# Selections whose count is also kept in the database (core/shared_figures.py), like the whole
# catalog's: one value of a facet with few values, which the pages link to (a theme page's "search
# this theme", a kind). Their number is bounded (values x languages); a selection of any project,
# keyword or combination would make rows without end.
KEPT_SELECTION_PARAMS = ("theme", "kind")


def _kept_in_database(filters) -> bool:
    return len(filters) == 1 and all(p in KEPT_SELECTION_PARAMS and len(v) == 1 for p, v in filters.items())


def _selection_key(filters) -> str:
    selection = json.dumps(sorted((param, sorted(values)) for param, values in filters.items()))
    return hashlib.sha256(selection.encode()).hexdigest()[:32]


def _browse_facets(base, language):
    """The whole catalog's facet counts (a search without words or filters): the same for every
    visitor until the catalog changes, kept in the cache and the database, counted from the facet
    index (facet_index.py) when they are not."""

    def compute():
        index, _exact = facet_index()  # exact: compute() is never served a stale figure
        if index is None:  # none kept anywhere: this page counts in SQL, the index is built after it
            return facet_counts(base, {})
        return facet_counts(base, {}, indexed=index_counts(index, all_facets(), {}, language=interface_language()))

    return cached_until_catalog_changes(f"search-browse-facets:{language}", compute, stale_while_revalidate=True)


class ListedEntries(Sequence):
    """The entries of a selection in the list's order, as the exact facet index gives them (ids by
    title, FacetIndex.by_title): no query for the list, whatever the selection's size. PostgreSQL
    planned the page of a theme and a keyword (2,500 entries at 100,000) at 130-200 ms."""

    def __init__(self, ids):
        self._ids = ids

    def __len__(self):
        return len(self._ids)

    def __getitem__(self, item):
        if isinstance(item, slice):
            return [RankedEntry(int(pk), 0.0, 0, True) for pk in self._ids[item]]
        return RankedEntry(int(self._ids[item]), 0.0, 0, True)

    def __iter__(self):
        return (RankedEntry(int(pk), 0.0, 0, True) for pk in self._ids)


def _selection_figures(base, filters) -> tuple[int, int, list[FacetResult], list[int] | ListedEntries | None]:
    """(the selection's count, the whole catalog's, the facets) of a search without words but with
    filters, counted from the facet index whatever the selection (a keyword, a subtheme, any
    combination): they read every entry the filters keep in SQL, up to a second at 100,000 entries.
    The counts, which the list of entries must match, are read from SQL when the index served is a
    previous version's; from an exact one come a small selection's ids (IndexedCounts.ids), or the
    whole selection's list in title order (ListedEntries) when the index has it."""
    index, exact = facet_index()
    if index is None:  # none kept anywhere: this page counts in SQL, the index is built after it
        count = _browsed_count(apply_filters(base, filters), filters)
        return count, _browsed_count(base, {}), facet_counts(base, filters), None
    indexed = index_counts(index, all_facets(), filters, language=interface_language())
    if exact:
        count, total = indexed.count, len(index.ids)
        ids = ListedEntries(indexed.listed) if indexed.listed is not None else indexed.ids
    else:
        count, total, ids = _browsed_count(apply_filters(base, filters), filters), _browsed_count(base, {}), None
    return count, total, facet_counts(base, filters, indexed=indexed), ids


# A selection holding at least one in this many published entries is large: its page of entries by
# title is read from the title index, each entry checked for the selection (apply_filters(correlated=True)).
LARGE_SELECTION_SHARE = 20


def _browsed_count(selected, filters) -> int:
    """How many entries a search without words lists (the whole catalog, or a selection's), kept
    like the selection's facets: the COUNT of a theme's 25,000 entries took 50–60 ms at 100,000
    entries on SQLite, on every view of that page. Never stale (the list is read as it is, and its
    pages must match it): counted again after each change; the whole catalog's and a theme's are
    also kept in the database, for a cache that lost them (exact while nothing has changed)."""
    return cached_until_catalog_changes(
        f"search-browse-count:{_selection_key(filters)}" if filters else "search-browse-count",
        selected.count,
        timeout=FILTERED_FACETS_SECONDS if filters else None,
        persist=not filters or _kept_in_database(filters),
    )


def browse_facets_warm() -> None:
    """Compute the search page's unfiltered facets for every language (the warmer registered in
    SearchConfig.ready, run in the background after a catalog change)."""
    _browsed_count(_published(), {})
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            _browse_facets(_published(), language)


def browse_values_warm() -> None:
    """The browse values' counts the front page and the browse index show, and the common topics a
    search without results offers, which are made of them (the warmer registered in
    SearchConfig.ready, run in the background after a catalog change)."""
    _facet_values_with_counts()
    facet_value_counts()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            _common_topics(language)


def search_figures_read_ahead(also: Sequence[str] = ()) -> None:
    """Read what a search with words asks the cache for, one key at a time, in two round trips
    (core.cache.read_into_request_memo): the catalog, index and thesaurus versions (and ``also``),
    then what those name: this process's store token and the index statistics. Five round trips
    to Redis were most of an uncached search page's time outside Python under load."""
    read_into_request_memo([VERSION_KEY, INDEX_VERSION_KEY, THESAURUS_VERSION_KEY, *also])
    memo = request_memo()
    if memo is None:
        return
    named = []
    if VERSION_KEY in memo:
        named.append(figure_key(process_store.TOKEN_NAME, memo[VERSION_KEY]))
    if INDEX_VERSION_KEY in memo:
        named.append(stats_key(memo[INDEX_VERSION_KEY]))
    read_into_request_memo(named)


def search_entries(
    *, text: str, filters: dict[str, list[str]] | None = None, language: str = "fi"
) -> SearchResults:
    """Rank the published entries for a query and a facet selection (no page rendering yet)."""
    filters = filters or {}
    text = (text or "").strip()[:500]
    query = search_query_parse(text, language=language) if text else None
    if query is None:
        base = _published()
        ids = None
        if filters:
            count, total, facets, ids = _selection_figures(base, filters)
        else:
            count = total = _browsed_count(base, {})
            facets = _browse_facets(base, get_language() or language)
        large = bool(filters) and count * LARGE_SELECTION_SHARE >= total
        if isinstance(ids, ListedEntries):
            return SearchResults(text, None, ids, facets, filters, browsing=True)
        if ids is not None and not large:
            selected = base.filter(pk__in=_id_set(ids))  # the index's ids of a small selection
        else:
            selected = apply_filters(base, filters, correlated=large)
        entries = BrowsedEntries(selected.order_by("title", "pk"), count=count)
        return SearchResults(text, None, entries, facets, filters, browsing=True)
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
    # With filters, the facet index counts the ranked entries when this process holds it (a
    # search with words does not wait for it to load): else a grouped SQL query per facet.
    index = facet_index_if_loaded() if filters else None
    indexed = (
        index_counts(index, all_facets(), filters, ids=ranked_ids, language=interface_language())
        if index is not None else None
    )
    results = SearchResults(
        text, query, entries, facet_counts(base, filters, ids=ranked_ids, indexed=indexed), filters,
        partial=ranking.partial, capped=capped,
    )
    results.partial = any(not e.complete for e in entries)
    if not entries and filters and ranking.entries:
        results.unfiltered_count = len(ranking.entries)
    else:
        results.suggestion, results.suggestions = suggest_queries(query, len(entries), language=language)
    return results


def search_hits(
    results: SearchResults, entries: list[RankedEntry], *, language: str = "fi"
) -> list[SearchHit]:
    """Load and highlight one page of results (a fixed number of queries, none for the entries this
    process has shown since the catalog last changed), in the visitor's language."""
    practices = _shown_practices([e.practice_id for e in entries])
    terms = split_terms(results.query.highlight_terms() if results.query else set())
    hits = []
    for entry in entries:
        practice = practices.get(entry.practice_id)
        if practice is None:
            continue
        title_html, snippet_html = hit_texts(practice, terms, language)
        hits.append(SearchHit(practice, entry.score, entry.complete, title_html, snippet_html))
    return hits


# The entries a search page shows, with their project and translations, per process until the
# catalog changes (see process_store): loading them was a third of an uncached search page's CPU, and
# the same entries answer many searches. Read-only once stored (requests share them).
SHOWN_PRACTICES_MAX = 1_000


def _shown_practices(ids: list[int]) -> dict[int, Practice]:
    stored = process_store.store("shown-practices", SHOWN_PRACTICES_MAX)
    found = {pk: stored[pk] for pk in ids if pk in stored}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        loaded = (
            Practice.objects.filter(pk__in=missing)
            .select_related("project")
            .prefetch_related("translations", "project__translations")
            .in_bulk()
        )
        stored.update(loaded)
        found.update(loaded)
    return found


# --- "did you mean" ------------------------------------------------------------------------

# Fewer results than this: the page offers other searches as well.
FEW_RESULTS = 3


def corrected_text(query: ParsedQuery) -> str:
    """The query as typed with each word the expansion stage read as another replaced by it."""
    text = query.text
    for word, replacement in query.corrections.items():
        text = re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w-])", replacement, text, flags=re.IGNORECASE)
    return text if text != query.text else ""


def suggest_queries(query: ParsedQuery, count: int, *, language: str = "fi") -> tuple[str, list[str]]:
    """("Did you mean" query or "", other searches to offer). The correction is offered whenever
    a word was read as another; with no or few results, a relaxed query (the words that match
    something; a phrase's words apart), the index's closest terms to a word or a prefix that
    matches nothing, and on an empty page with none of these the vocabulary's concepts spelt
    nearest, else the bank's largest topics, so that no result page is a dead end."""
    suggestion = corrected_text(query)
    if count >= FEW_RESULTS or query.is_empty:
        return suggestion, []
    lexicon = get_lexicon()
    known, unknown = [], []
    for clause in query.positive:
        (
            known if any(lexicon.df.get(t, 0) for t in clause.terms() if not t.endswith("*")) else unknown
        ).append(clause)
    others: list[str] = []
    if known and unknown:
        relaxed = " ".join(f'"{c.text}"' if c.kind == "phrase" else c.text for c in known)
        if rank_entries(search_query_parse(relaxed, language=language)).entries:
            others.append(relaxed)
    # A phrase whose words are seldom next to each other: its words anywhere.
    for clause in query.positive:
        if clause.kind == "phrase":
            apart = query.text.replace(f'"{clause.text}"', clause.text).strip()
            if apart != query.text and len(rank_entries(search_query_parse(apart, language=language)).entries) > count:
                others.append(apart)
    for clause in unknown:
        if clause.kind in ("word", "prefix"):
            others += [term for term in lexicon.closest(clause.text.rstrip("*")) if term not in others]
    others = [o for o in others if o != suggestion]
    if count == 0 and not others:
        others = _closest_concepts(query, language) or _common_topics(language)
    return suggestion, others[:5]


def _finds_something(text: str, language: str) -> bool:
    return bool(rank_entries(search_query_parse(text, language=language)).entries)


def _closest_concepts(query: ParsedQuery, language: str) -> list[str]:
    """Nothing found and no index term begins like the words: the vocabulary's concepts whose
    labels are spelt nearest ("lärlingsutbildning" → läroavtalsutbildning), those that find
    something. Only on an empty result page, and at most six searches."""
    thesaurus = get_thesaurus()
    offers: list[str] = []
    for clause in query.positive:
        for label in thesaurus.closest_concepts(clause.text, language, limit=6 - len(offers)):
            if label not in offers and _finds_something(label, language):
                offers.append(label)
    return offers


# With nothing near at all ("xqzzyv"), an empty page still offers the bank's largest topics.
COMMON_TOPICS = 4


def _common_topics(language: str) -> list[str]:
    """The bank's largest topics as searches: the browse values with the most entries (confirmed
    first, then suggested, so that a bank whose coordinators have not reviewed yet has them too),
    after the catalog's most used keywords. Cached until the catalog changes."""

    def compute() -> list[str]:
        cloud = sorted(front_page_figures()["cloud"], key=lambda c: (-c.count, c.keyword.name))
        topics = [c.keyword.name for c in cloud[:COMMON_TOPICS]]
        counts = Counter(facet_value_counts())
        counts.update(
            dict(
                FacetAssignment.objects.filter(
                    status=FacetStatus.SUGGESTED, practice__status=PublicationStatus.PUBLISHED
                ).values_list("concept_id").annotate(n=Count("practice_id")).order_by()
            )
        )
        largest = [pk for pk, _n in counts.most_common(2 * COMMON_TOPICS)]
        concepts = Concept.objects.in_bulk(largest)
        for pk in largest:
            label = concepts[pk].local_label(language) if pk in concepts else ""
            if label and label not in topics and len(topics) < COMMON_TOPICS:
                topics.append(label)
        return topics

    return cached_until_catalog_changes(f"common-topics-{language}", compute, stale_while_revalidate=True)


# --- browse pages: the entries of one facet value (target group, education level, transition stage)


@dataclass
class FacetCategoryValues:
    category: str
    label: str
    facet: object  # facets.ConceptFacet, for its search parameter
    values: list  # Concepts with entry_count


def _confirmed_published(concept_ids=None) -> QuerySet:
    rows = FacetAssignment.objects.filter(status=FacetStatus.CONFIRMED, practice__status=PublicationStatus.PUBLISHED)
    return rows if concept_ids is None else rows.filter(concept_id__in=concept_ids)


def facet_value_counts() -> dict[int, int]:
    """Published entries per browse value, confirmed values only (one grouped query, cached until
    the catalog or a decision changes)."""
    return cached_until_catalog_changes(
        "facet-value-counts",
        lambda: dict(_confirmed_published().values_list("concept_id").annotate(n=Count("practice_id")).order_by()),
        stale_while_revalidate=True,
    )


def _facet_values_with_counts() -> list[Concept]:
    """Every browse value with ``entry_count`` in one query (a grouped join), kept until the catalog
    or a decision changes: the front page shows them on every view."""
    return cached_until_catalog_changes(
        "facet-values-with-counts",
        lambda: list(
            Concept.objects.filter(facet_value=True, category__in=FACET_CATEGORIES).annotate(
                entry_count=Count(
                    "assignments",
                    filter=Q(assignments__status=FacetStatus.CONFIRMED,
                             assignments__practice__status=PublicationStatus.PUBLISHED),
                )
            ).order_by("pref_label_fi")
        ),
        stale_while_revalidate=True,
    )


def facet_categories(*, with_empty: bool = True) -> list[FacetCategoryValues]:
    """The three browse facets with their values and counts, in one query (none when cached)."""
    language = (get_language() or "fi")[:2]
    by_category = {category: [] for category in FACET_CATEGORIES}
    for concept in _facet_values_with_counts():
        if with_empty or concept.entry_count:
            by_category[concept.category].append(concept)
    labels = dict(ConceptCategory.choices)
    return [
        FacetCategoryValues(
            str(category), str(labels[category]), CONCEPT_FACETS[category],
            sorted(values, key=lambda c: c.local_label(language).lower()),
        )
        for category, values in by_category.items()
    ]


def facet_value_get(*, identifier: str) -> Concept:
    concept = Concept.objects.filter(
        identifier=identifier, facet_value=True, category__in=FACET_CATEGORIES
    ).first()
    if concept is None:
        raise Http404("No such browse value")
    return concept


def _facet_value_entries(concept, theme=None) -> QuerySet:
    entries = Practice.objects.published().filter(
        pk__in=FacetAssignment.objects.filter(concept=concept, status=FacetStatus.CONFIRMED).values("practice_id")
    )
    if theme is not None:
        entries = entries.filter(pk__in=Placement.objects.filter(theme=theme).values("practice_id"))
    return entries


def facet_value_theme_counts(*, concept) -> list:
    """Every theme with the number of the value's published entries placed in it (one query for
    the counts): the facet × theme links of a browse page."""
    rows = dict(
        Placement.objects.filter(practice__in=_facet_value_entries(concept).values("pk"))
        .values_list("theme_id")
        .annotate(n=Count("practice_id", distinct=True))
        .order_by()
    )
    themes = list(Theme.objects.order_by("code"))
    for theme in themes:
        theme.entry_count = rows.get(theme.pk, 0)
    return themes


def facet_value_counts_by_kind(*, concept, theme=None) -> dict:
    """{"models": n, "good_practices": n} of the value's published entries (in a theme)."""
    return _facet_value_entries(concept, theme).aggregate(
        models=Count("id", filter=Q(kind=PracticeKind.MODEL)),
        good_practices=Count("id", filter=Q(kind=PracticeKind.GOOD_PRACTICE)),
    )


def facet_value_entries(*, concept, theme=None, counts) -> ChainedLists:
    """The value's published entries (in a theme), models first, each kind by title: a list to
    paginate a page at a time (core.pagination). ``counts`` from facet_value_counts_by_kind."""
    entries = _facet_value_entries(concept, theme).select_related("project").prefetch_related(
        "translations", "project__translations"
    )
    return ChainedLists(
        entries.filter(kind=PracticeKind.MODEL).order_by("title", "id"),
        entries.filter(kind=PracticeKind.GOOD_PRACTICE).order_by("title", "id"),
        counts=[counts["models"], counts["good_practices"]],
    )


def practice_facet_values(*, practice) -> list[tuple[str, list[Concept]]]:
    """The confirmed browse values of an entry by category (its page shows them), one query."""
    concepts = Concept.objects.filter(
        assignments__practice=practice, assignments__status=FacetStatus.CONFIRMED,
        facet_value=True, category__in=FACET_CATEGORIES,
    ).order_by("pref_label_fi")
    labels = dict(ConceptCategory.choices)
    grouped = {category: [] for category in FACET_CATEGORIES}
    for concept in concepts:
        grouped[concept.category].append(concept)
    return [(str(labels[category]), values) for category, values in grouped.items() if values]


def facet_review_values() -> list[Concept]:
    """The browse values with the number of suggestions waiting for a coordinator (one query)."""
    return list(
        Concept.objects.filter(facet_value=True, category__in=FACET_CATEGORIES)
        .annotate(
            waiting=Count("assignments", filter=Q(assignments__status=FacetStatus.SUGGESTED)),
            confirmed=Count("assignments", filter=Q(assignments__status=FacetStatus.CONFIRMED)),
        )
        .order_by("category", "pref_label_fi")
    )


def facet_review_suggestions(*, concept, status: str = FacetStatus.SUGGESTED) -> QuerySet:
    """The value's assignments in one status with their entries, strongest suggestion first."""
    return (
        FacetAssignment.objects.filter(concept=concept, status=status)
        .select_related("practice", "practice__project")
        .order_by("-score", "practice__title", "pk")
    )
