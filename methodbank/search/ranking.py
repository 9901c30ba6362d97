"""BM25F scoring of the candidates, in Python, so that SQLite and PostgreSQL rank identically.

Each field's term frequency is length-normalised against that field's average length and weighted
(title 3, summary 2, body 1); the weighted sum goes through BM25's saturation once per term
(Robertson & Zaragoza's BM25F). A clause scores with its best alternative times the alternative's
weight, so a thesaurus expansion (weight 0.5) never outranks the same match on the word itself.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.db import connection

from .bm25 import FIELD_WEIGHTS, K1, B, collection_stats
from .models import SearchDocument
from .query import ParsedQuery
from .retrieval import sql_in, term_statistics
from .termvectors import encode, records, term_key_number


@dataclass
class Candidate:
    practice_id: int
    lengths: tuple[int, int, int]
    texts: tuple[str, str, str] | None  # analysed fields: terms of a word joined by " ", words by "\n"
    score: float = 0.0
    matched: int = 0  # positive clauses matched
    clause_scores: list[float] = field(default_factory=list)

    def counts(self, exact: frozenset, prefixes: tuple[str, ...]) -> dict[str, list[int]]:
        """Per-field frequencies of the query's terms ("abc*" for a prefix) present in the entry."""
        found: dict[str, list[int]] = {}
        for number, text in enumerate(self.texts):
            counter = Counter(text.split())  # counted in C: far cheaper than a Python loop
            for term in exact.intersection(counter):
                found.setdefault(term, [0, 0, 0])[number] = counter[term]
            if prefixes:
                for token, count in counter.items():
                    if token.startswith(prefixes):
                        for prefix in prefixes:
                            if token.startswith(prefix):
                                found.setdefault(prefix + "*", [0, 0, 0])[number] += count
        return found


def load_candidates(practice_ids) -> dict[int, Candidate]:
    """Candidates with their analysed texts. Raw SQL: building the ORM's IN list of a hundred ids
    cost as much as reading the rows."""
    ids = list(practice_ids)
    if not ids:
        return {}
    condition, params = sql_in("practice_id", ids)
    table = connection.ops.quote_name(SearchDocument._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT practice_id, title_terms, summary_terms, body_terms, title_len, summary_len, body_len "
            f"FROM {table} WHERE {condition}",
            params,
        )
        rows = cursor.fetchall()
    return {row[0]: Candidate(row[0], (row[4], row[5], row[6]), (row[1], row[2], row[3])) for row in rows}


class Scorer:
    def __init__(self, query: ParsedQuery, df: dict[str, int] | None = None):
        """``df``: document frequencies of the query's positive terms (retrieval.term_statistics),
        read when not given."""
        self.query = query
        self.stats = collection_stats()
        terms = set()
        for clause in query.positive:
            terms |= clause.terms()
        self.exact = frozenset(t for t in terms if not t.endswith("*"))
        self.prefixes = tuple(sorted(t[:-1] for t in terms if t.endswith("*")))
        self.df = term_statistics(query).df if df is None else df
        self.idfs = {t: self.idf(t) for t in terms}
        # How much each clause tells (0: no entry has it), for the coverage of selectors._score.
        self.clause_weights = [self._information(clause) for clause in query.positive]
        # Per clause: (alternative slots, weight, idf cap or None), computed once per query.
        self.plans = []
        for clause in query.positive:
            first = clause.alternatives[0]
            cap = min(max(self.idfs[t] for t in slot) for slot in first.slots)
            self.plans.append(
                [
                    (
                        [tuple(sorted(slot)) for slot in alternative.slots],
                        alternative.weight,
                        None if n == 0 else cap,
                    )
                    for n, alternative in enumerate(clause.alternatives)
                ]
            )

        self.fast_plans = [
            [
                (
                    tuple(
                        tuple((t, self.idfs[t] if cap is None else min(self.idfs[t], cap)) for t in slot)
                        for slot in slots
                    ),
                    weight,
                )
                for slots, weight, cap in plan
            ]
            for plan in self.plans
        ]

        # Every slot of every alternative gets a number; term -> every (slot number, idf) it counts
        # in, so score() visits only the few query terms an entry has, and keeps the slots' best
        # scores in a plain list instead of a dictionary.
        self.slot_count = 0
        self.term_slots: dict[str, list[tuple[int, float]]] = {}
        # Per clause: (the clause if it is a phrase - adjacency is checked - else None,
        # [(its alternative's slot numbers, the alternative's weight)]).
        self.clause_plans = []
        for clause, plan in zip(query.positive, self.fast_plans, strict=True):
            alternatives = []
            for slots, weight in plan:
                if not all(any(self.df.get(term, 0) for term, _idf in slot) for slot in slots):
                    continue  # a slot no entry has: the alternative matches nothing (often an expansion)
                numbers = []
                for slot in slots:
                    numbers.append(self.slot_count)
                    for term, idf in slot:
                        self.term_slots.setdefault(term, []).append((self.slot_count, idf))
                    self.slot_count += 1
                alternatives.append((tuple(numbers), weight))
            self.clause_plans.append((clause if clause.kind == "phrase" else None, alternatives))
        # The exact terms some entry has, by their term-vector key (prefixes come as extra counts).
        self.vector_terms = [
            (term_key_number(term), places)
            for term, places in sorted(self.term_slots.items())
            if not term.endswith("*") and self.df.get(term, 0) > 0
        ]

    def _information(self, clause) -> float:
        """The idf of about as many entries as the clause matches. An alternative matches about as
        many as its rarest slot, a slot as many as its commonest term; the clause at least as many
        as its broadest alternative. Before, a clause told as much as its rarest term: "opiskelija"
        (in most entries) counted as much as a rare word, through a Swedish label of its concept
        in one entry, so in a long question the entries sharing its everyday words covered as much
        as those sharing its rare ones."""
        best = None
        for alternative in clause.alternatives:
            slots = [[self.idfs[t] for t in slot if self.df.get(t, 0) > 0] for slot in alternative.slots]
            if all(slots):
                idf = max(min(slot) for slot in slots)
                best = idf if best is None else min(best, idf)
        return best or 0.0

    def idf(self, term: str) -> float:
        n = max(self.stats.documents, 1)
        df = min(self.df.get(term, 0), n)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def clause_scores(self, lengths: list, vectors: list[bytes], extras: list | None = None) -> np.ndarray:
        """The positive clauses' scores (one row per clause, one column per entry; 0.0: not
        matched; phrases are not checked for adjacency here) of many entries, from their field
        lengths, their term vectors and the summed frequencies of the query's prefixes (``extras``:
        per entry None or {"abc*": frequencies}).

        The hot path of every search. All candidates at once with NumPy: a query term's records are
        found by comparing its key with every record of every vector, and each step of BM25F runs
        over all the entries that have the term. The arithmetic is Python's, in the same order
        (adding 0.0 for a field without the term changes nothing), so scores equal the per-entry
        formula's to the last bit (tests/test_ranking.py)."""
        count = len(vectors)
        norms = (
            1
            - B
            + B
            * np.asarray(lengths, dtype=np.float64).reshape(count, 3)
            / np.asarray([a or 1.0 for a in self.stats.avg_lengths])
        )
        w0, w1, w2 = FIELD_WEIGHTS
        # A slot scores with its best term: idf x the saturated, field-weighted term frequency
        # (BM25F; the same arithmetic, in the same order, as impact()). 0.0: no term of it.
        slot_scores = np.zeros((self.slot_count, count))

        def add(places, owners, tfs):
            n = norms[owners]
            tfs = tfs.astype(np.float64)
            weighted = w0 * tfs[:, 0] / n[:, 0] + w1 * tfs[:, 1] / n[:, 1] + w2 * tfs[:, 2] / n[:, 2]
            saturated = weighted * (K1 + 1) / (weighted + K1)
            for number, idf in places:
                slot_scores[number, owners] = np.maximum(slot_scores[number, owners], idf * saturated)

        if count and self.vector_terms:
            found, owner = records(vectors)
            keys = found["key"]
            for key, places in self.vector_terms:
                where = np.flatnonzero(keys == key)
                if where.size:
                    add(places, owner[where], found["tf"][where])
        for term in {t for extra in extras or () if extra for t in extra}:
            places = self.term_slots.get(term)
            owners = [n for n, extra in enumerate(extras) if extra and term in extra]
            if places and owners:
                add(places, np.asarray(owners), np.asarray([extras[n][term] for n in owners]))

        scores = np.zeros((len(self.clause_plans), count))
        for number, (_clause, alternatives) in enumerate(self.clause_plans):
            # An alternative scores the sum of its slots (in order) if every slot has a term.
            best = scores[number]
            for numbers, weight in alternatives:
                total = slot_scores[numbers[0]]
                present = total > 0
                for slot in numbers[1:]:
                    total = total + slot_scores[slot]
                    present &= slot_scores[slot] > 0
                np.maximum(best, np.where(present, total, 0.0) * weight, out=best)
        return scores

    def phrase_clauses(self) -> list[tuple[int, object]]:
        """(number, clause) of the positive clauses that are phrases: their words must also stand
        next to each other, which needs the entry's text (phrase_pattern)."""
        return [
            (number, clause) for number, (clause, _plan) in enumerate(self.clause_plans) if clause is not None
        ]

    def score(self, candidate: Candidate, phrase_ok=None) -> Candidate:
        """Score a candidate loaded with its texts (load_candidates): the benchmark's previous
        design, which counts the terms in the analysed text, scores with it."""
        counts = candidate.counts(self.exact, self.prefixes)
        exact = {term: tfs for term, tfs in counts.items() if not term.endswith("*")}
        extra = {term: tfs for term, tfs in counts.items() if term.endswith("*")}
        scores = self.clause_scores([candidate.lengths], [encode(exact)], [extra])[:, 0].tolist()
        for number, clause in self.phrase_clauses():
            if scores[number] and phrase_ok is not None and not phrase_ok(candidate, clause):
                scores[number] = 0.0
        candidate.clause_scores = scores
        candidate.matched = len(scores) - scores.count(0.0)
        candidate.score = sum(scores)
        return candidate


@functools.lru_cache(maxsize=512)
def phrase_pattern(slots: tuple[frozenset, ...]) -> re.Pattern:
    """Consecutive words of an analysed field that carry the phrase's slots in order. A field is
    its words on separate lines, each word's terms separated by spaces (analysis.index_text): one
    regular expression, run in C, instead of splitting every candidate's fields into words."""

    def word(slot: frozenset) -> str:
        terms = "|".join(re.escape(term) for term in sorted(slot))
        return f"(?:[^\\n]* )?(?:{terms})(?: [^\\n]*)?"

    return re.compile("(?:^|\\n)" + "\\n".join(word(slot) for slot in slots) + "(?=\\n|$)")
