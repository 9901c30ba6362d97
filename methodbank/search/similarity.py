"""Similar entries and near-duplicates: TF-IDF cosine over the analysed text, computed in Python.

An entry's vector weights each term by (1 + log tf) * idf, with title terms counted three times and
summary terms twice (the same field weights as the ranking). Candidates come from the engine (the
entries sharing the vector's strongest terms), so the cost does not grow with the catalog; vectors
are cached per index version.
"""

from __future__ import annotations

import math
import threading
from collections import Counter

from .analysis import index_terms
from .engines import FIELD_WEIGHTS, get_engine
from .indexing import index_version
from .models import SearchDocument, SearchTerm
from .ranking import collection_stats

QUERY_TERMS = 24  # strongest terms used to find candidates
CANDIDATES = 200
MIN_SIMILARITY = 0.05

Vector = dict[str, float]

_cache_lock = threading.Lock()
_vector_cache: dict = {"version": None, "vectors": {}}


def cache_clear() -> None:
    """Forget the cached vectors (the benchmark measures cold calls)."""
    with _cache_lock:
        _vector_cache["version"], _vector_cache["vectors"] = None, {}


def _weighted_counts(title: list[str], summary: list[str], body: list[str]) -> Counter:
    counts: Counter = Counter()
    for terms, weight in zip((title, summary, body), FIELD_WEIGHTS, strict=True):
        for term in terms:
            counts[term] += weight
    return counts


def _idf(terms, documents: int) -> dict[str, float]:
    df = dict(SearchTerm.objects.filter(term__in=list(terms)).values_list("term", "df"))
    n = max(documents, 1)
    return {t: math.log((n + 1) / (df.get(t, 0) + 1)) + 1.0 for t in terms}


def _vector(counts: Counter, idf: dict[str, float]) -> Vector:
    vector = {t: (1 + math.log(c)) * idf[t] for t, c in counts.items() if c > 0}
    norm = math.sqrt(sum(v * v for v in vector.values())) or 1.0
    return {t: v / norm for t, v in vector.items()}


def _cosine(a: Vector, b: Vector) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


def _document_vectors(practice_ids) -> dict[int, Vector]:
    version = index_version()
    with _cache_lock:
        if _vector_cache["version"] != version:
            _vector_cache["version"], _vector_cache["vectors"] = version, {}
        cached = _vector_cache["vectors"]
        result = {pk: cached[pk] for pk in practice_ids if pk in cached}
    missing = [pk for pk in practice_ids if pk not in result]
    if missing:
        rows = list(
            SearchDocument.objects.filter(practice_id__in=missing).values_list(
                "practice_id", "title_terms", "summary_terms", "body_terms"
            )
        )
        counts = {pk: _weighted_counts(t.split(), s.split(), b.split()) for pk, t, s, b in rows}
        idf = _idf(set().union(*[set(c) for c in counts.values()]) if counts else set(), collection_stats().documents)
        computed = {pk: _vector(c, idf) for pk, c in counts.items()}
        with _cache_lock:
            if _vector_cache["version"] == version:
                _vector_cache["vectors"].update(computed)
        result.update(computed)
    return result


def _neighbours(vector: Vector, *, exclude: int | None, limit: int) -> list[tuple[int, float]]:
    if not vector:
        return []
    strongest = sorted(vector, key=lambda t: (-vector[t], t))[:QUERY_TERMS]
    engine = get_engine()
    ids = [pk for pk in engine.match_expression(engine.or_expression(strongest), limit=CANDIDATES) if pk != exclude]
    vectors = _document_vectors(ids)
    scored = [(pk, _cosine(vector, vectors[pk])) for pk in ids if pk in vectors]
    scored = [(pk, score) for pk, score in scored if score >= MIN_SIMILARITY]
    scored.sort(key=lambda item: (-item[1], item[0]))
    return scored[:limit]


def similar_practice_ids(*, practice_id: int, limit: int = 5) -> list[tuple[int, float]]:
    """(practice id, cosine) of the published entries most like this one, best first."""
    vector = _document_vectors([practice_id]).get(practice_id)
    if vector is None:
        return []
    return _neighbours(vector, exclude=practice_id, limit=limit)


def text_vector(*, title: str, summary: str, text: str, language: str = "fi") -> Vector:
    counts = _weighted_counts(
        index_terms(title, language), index_terms(summary, language), index_terms(text, language)
    )
    return _vector(counts, _idf(set(counts), collection_stats().documents))


def duplicate_candidates(
    *, title: str, summary: str, text: str = "", exclude_pk: int | None = None, threshold: float = 0.5, limit: int = 5
) -> list[tuple[int, float]]:
    vector = text_vector(title=title, summary=summary, text=text)
    return [(pk, s) for pk, s in _neighbours(vector, exclude=exclude_pk, limit=limit) if s >= threshold]
