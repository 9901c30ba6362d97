"""BM25F scoring of the candidates, in Python, so that SQLite and PostgreSQL rank identically.

Each field's term frequency is length-normalised against that field's average length and weighted
(title 3, summary 2, body 1); the weighted sum goes through BM25's saturation once per term
(Robertson & Zaragoza's BM25F). A clause scores with its best alternative times the alternative's
weight, so a thesaurus expansion (weight 0.5) never outranks the same match on the word itself.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Avg, Count

from .engines import FIELD_WEIGHTS
from .indexing import index_version
from .models import SearchDocument, SearchTerm
from .query import Clause, ParsedQuery

K1 = 1.2
B = 0.75
FIELDS = ("title", "summary", "body")


@dataclass(frozen=True)
class CollectionStats:
    documents: int
    avg_lengths: tuple[float, float, float]


def collection_stats() -> CollectionStats:
    key = f"search:stats:{index_version()}"
    stats = cache.get(key)
    if stats is None:
        row = SearchDocument.objects.aggregate(
            n=Count("id"), t=Avg("title_len"), s=Avg("summary_len"), b=Avg("body_len")
        )
        stats = CollectionStats(row["n"] or 0, (row["t"] or 1.0, row["s"] or 1.0, row["b"] or 1.0))
        cache.set(key, stats, 300)
    return stats


@dataclass
class Candidate:
    practice_id: int
    lengths: tuple[int, int, int]
    # Each field's analysed text padded with spaces: counting " term " in it is a C-speed
    # substring count, much cheaper than splitting every candidate into a Counter.
    texts: tuple[str, str, str]
    score: float = 0.0
    matched: int = 0  # positive clauses matched
    clause_scores: list[float] = field(default_factory=list)
    _tf: dict = field(default_factory=dict, repr=False)

    def tf(self, number: int, term: str) -> int:
        key = (number, term)
        value = self._tf.get(key)
        if value is None:
            text = self.texts[number]
            if term.endswith("*"):
                value = len(re.findall(r"(?<= )" + re.escape(term[:-1]) + r"[^ ]*(?= )", text))
            else:
                value = text.count(f" {term} ")
            self._tf[key] = value
        return value


def load_candidates(practice_ids) -> dict[int, Candidate]:
    rows = SearchDocument.objects.filter(practice_id__in=list(practice_ids)).values_list(
        "practice_id", "title_terms", "summary_terms", "body_terms", "title_len", "summary_len", "body_len"
    )
    return {
        row[0]: Candidate(row[0], (row[4], row[5], row[6]), tuple(f" {text} " for text in row[1:4]))
        for row in rows
    }


class Scorer:
    def __init__(self, query: ParsedQuery, candidates: dict[int, Candidate]):
        self.query = query
        self.stats = collection_stats()
        self.candidates = candidates
        self.df = self._document_frequencies()

    def _document_frequencies(self) -> dict[str, int]:
        exact, prefixes = set(), set()
        for clause in self.query.positive:
            for term in clause.terms():
                (prefixes if term.endswith("*") else exact).add(term)
        df = dict(SearchTerm.objects.filter(term__in=exact).values_list("term", "df")) if exact else {}
        for prefix in prefixes:
            stem = prefix[:-1]
            # A prefix is as specific as its most common completion.
            best = (
                SearchTerm.objects.filter(term__gte=stem, term__lt=stem + "\uffff")
                .order_by("-df")
                .values_list("df", flat=True)
                .first()
            )
            df[prefix] = best or 0
        return df

    def idf(self, term: str) -> float:
        n = max(self.stats.documents, 1)
        df = min(self.df.get(term, 0), n)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def term_score(self, candidate: Candidate, term: str, idf_cap: float | None = None) -> float:
        weighted_tf = 0.0
        for number in range(3):
            tf = candidate.tf(number, term)
            if tf:
                norm = 1 - B + B * candidate.lengths[number] / self.stats.avg_lengths[number]
                weighted_tf += FIELD_WEIGHTS[number] * tf / norm
        if not weighted_tf:
            return 0.0
        idf = self.idf(term) if idf_cap is None else min(self.idf(term), idf_cap)
        return idf * weighted_tf * (K1 + 1) / (weighted_tf + K1)

    def base_idf(self, clause: Clause) -> float:
        """The rarity of the words as typed. A rarer synonym must not outweigh them: an expansion
        scores as if it were exactly as common, times its weight below 1."""
        first = clause.alternatives[0]
        return min(max(self.idf(t) for t in slot) for slot in first.slots)

    def clause_score(self, candidate: Candidate, clause: Clause) -> float:
        """Best alternative's score, 0 if no alternative matches completely."""
        best = 0.0
        cap = self.base_idf(clause)
        for number, alternative in enumerate(clause.alternatives):
            idf_cap = None if number == 0 else cap
            total = 0.0
            for slot in alternative.slots:
                slot_score = max((self.term_score(candidate, t, idf_cap) for t in sorted(slot)), default=0.0)
                if slot_score <= 0:
                    total = 0.0
                    break
                total += slot_score
            best = max(best, total * alternative.weight)
        return best

    def score(self, candidate: Candidate, phrase_ok=None) -> Candidate:
        candidate.clause_scores = []
        for clause in self.query.positive:
            value = self.clause_score(candidate, clause)
            if value and clause.kind == "phrase" and phrase_ok is not None and not phrase_ok(candidate, clause):
                value = 0.0
            candidate.clause_scores.append(value)
        candidate.matched = sum(1 for v in candidate.clause_scores if v > 0)
        candidate.score = sum(candidate.clause_scores)
        return candidate


def phrase_in_words(word_terms: list[set[str]], slots: tuple[frozenset, ...]) -> bool:
    """True if consecutive words carry the phrase's slots in order."""
    size = len(slots)
    for start in range(len(word_terms) - size + 1):
        if all(word_terms[start + k] & slots[k] for k in range(size)):
            return True
    return False
