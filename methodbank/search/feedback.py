"""Pseudo-relevance feedback for long queries: the ranking's last step (selectors.rank_entries).

A question typed as a sentence ("miten auttaa valmistuvaa opiskelijaa löytämään töitä") shares
few words with the entry that answers it, and several everyday words with many entries that do not.
The entries ranked first still tend to be about the question's topic, and the words they share
(their *feedback terms*: "työnhaku", "työllistyminen", "työelämä") are words the answer uses. RM3
(Lavrenko & Croft's relevance model, interpolated with the query) in the small:

1. the top FEEDBACK_DOCUMENTS entries' analysed fields, each field's terms weighted by the field
   weights of BM25F, normalised per entry and weighted by the entry's share of the top scores;
2. each term's weight times its idf; the query's own terms, terms of a single entry and terms in
   more than MAX_TERM_SHARE of the entries (they tell nothing of a topic) are left out; the best
   FEEDBACK_TERMS kept;
3. the first RERANKED entries get their BM25F score of those terms (their weights as a query,
   from the term vectors retrieval already read), and their rank becomes (1 - FEEDBACK_WEIGHT) ×
   their rank score / the best one + FEEDBACK_WEIGHT × their feedback score / the best one.

Measured on bench/relevance (RESULTS.md, rel11): tuning questions 0.617 -> 0.659 recall@10, the
blind set's 0.613 -> 0.641 (held out unchanged); 0.3 and more lost held-out typo, compound and
multiword queries of three words; 3 or 10 entries, 5 or 20 terms, title and summary alone, terms
in two entries or more, and entries found by the feedback terms alone gave no more.

Only for queries of FEEDBACK_MIN_CLAUSES clauses or more: a word or two is what a user means, and
a literal query ranks as it did. The candidates are those retrieval already read (their term
vectors are at hand): feedback reorders them and finds no new ones. Its cost is one statement (the
texts of five entries) and a vectorised score of ten terms: at 100,000 entries 0.6 ms CPU at the
median of the queries it applies to (SQLite).
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np

from .bm25 import FIELD_WEIGHTS, collection_stats
from .lexicon import get_lexicon
from .query import Alternative, Clause, ParsedQuery
from .ranking import Scorer, load_candidates

# Clauses, and of them words as typed (ParsedQuery.typed_count), a query needs for feedback.
FEEDBACK_MIN_CLAUSES = 3
FEEDBACK_MIN_TYPED = 3
# The best entries read, the terms kept of them, and the feedback's share of the final rank.
FEEDBACK_DOCUMENTS = 5
FEEDBACK_TERMS = 10
FEEDBACK_WEIGHT = 0.2
# A term in more than this share of the entries is no topic of its own ("opiskelija", "ohjaus").
MAX_TERM_SHARE = 0.08
MIN_TERM_LENGTH = 4
# The entries reordered (the first of the ranking): 50, 100 and 200 ranked the judged sets alike.
RERANKED = 50


def applies(query: ParsedQuery) -> bool:
    return len(query.positive) >= FEEDBACK_MIN_CLAUSES and query.typed_count >= FEEDBACK_MIN_TYPED


def feedback_terms(query: ParsedQuery, top: list[tuple[int, float]], df: dict[str, int]) -> dict[str, float]:
    """{term: weight} (weights summing to 1) of the top entries ((id, rank score), best first)."""
    documents = max(collection_stats().documents, 1)
    texts = load_candidates([pk for pk, _score in top])
    own = set()
    for clause in query.clauses:
        own |= {t.rstrip("*") for t in clause.terms()}
    best = max((score for _pk, score in top), default=0.0) or 1.0
    model: Counter = Counter()
    for pk, score in top:
        candidate = texts.get(pk)
        if candidate is None:
            continue
        weights: Counter = Counter()
        for field_weight, text in zip(FIELD_WEIGHTS, candidate.texts, strict=True):
            for term, count in Counter((text or "").split()).items():  # counted in C
                weights[term] += field_weight * count
        total = sum(weights.values())
        if not total:
            continue
        for term, weight in weights.items():
            model[term] += weight / total * score / best
    chosen = []
    for term, weight in model.items():
        count = df.get(term, 0)
        if term in own or len(term) < MIN_TERM_LENGTH or term.isdigit() or count < 2:
            continue
        if count > MAX_TERM_SHARE * documents:
            continue
        chosen.append((weight * math.log(1 + documents / count), term))
    chosen.sort(reverse=True)
    chosen = chosen[:FEEDBACK_TERMS]
    total = sum(value for value, _term in chosen)
    return {term: value / total for value, term in chosen} if total else {}


def rerank(query: ParsedQuery, ranked: list[tuple], vectors: dict[int, tuple]) -> list[tuple]:
    """``ranked``: sort tuples (-rank, id, ...) best first; ``vectors``: id -> (lengths, term
    vector) of the candidates. The same tuples, their rank interpolated with the feedback score."""
    if len(ranked) < 2:
        return ranked
    lexicon_df = get_lexicon().df
    top = [(item[1], -item[0]) for item in ranked[:FEEDBACK_DOCUMENTS] if -item[0] > 0]
    terms = feedback_terms(query, top, lexicon_df)
    if not terms:
        return ranked
    feedback_query = ParsedQuery(
        " ".join(terms), [Clause(term, "word", [Alternative((frozenset([term]),))]) for term in terms]
    )
    scorer = Scorer(feedback_query, {term: lexicon_df.get(term, 0) for term in terms})
    # Only the best RERANKED are reordered: the page shows the first ten, and the rest keep their
    # order below them (at 100,000 entries a question's pool can be thousands of entries).
    ranked, kept = ranked[:RERANKED], ranked[RERANKED:]
    ids = [item[1] for item in ranked]
    scores = scorer.clause_scores([vectors[pk][0] for pk in ids], [vectors[pk][1] for pk in ids])
    feedback = np.asarray([terms[clause.text] for clause in feedback_query.positive]) @ scores
    best_feedback = float(feedback.max()) or 1.0
    best_rank = -ranked[0][0] or 1.0
    result = []
    for item, value in zip(ranked, feedback.tolist(), strict=True):
        rank = (1 - FEEDBACK_WEIGHT) * -item[0] / best_rank + FEEDBACK_WEIGHT * value / best_feedback
        result.append((-round(rank, 9), *item[1:]))
    return sorted(result) + kept
