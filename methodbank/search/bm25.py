"""BM25F's constants and the per-entry arithmetic shared by the index writer and the ranker.

indexing.py orders each term's postings by ``impact``; ranking.py and similarity.py score with the
same constants and the same collection statistics. Both import this module and not each other, so
the formula is written once and the writer and reader cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Avg, Count

from methodbank.core.cache import request_memo

from .models import SearchDocument

K1 = 1.2
B = 0.75
FIELDS = ("title", "summary", "body")
# Field weights title/summary/body.
FIELD_WEIGHTS = (3.0, 2.0, 1.0)

# Bumped on every change of the index (indexing.py): cached statistics and similarity vectors key on it.
INDEX_VERSION_KEY = "search:index-version"


def index_version() -> int:
    # Read once per request (core.cache.request_memo): the lexicon and the statistics both ask.
    memo = request_memo()
    if memo is not None and INDEX_VERSION_KEY in memo:
        return memo[INDEX_VERSION_KEY]
    version = cache.get_or_set(INDEX_VERSION_KEY, 1, None)
    if memo is not None:
        memo[INDEX_VERSION_KEY] = version
    return version


@dataclass(frozen=True)
class CollectionStats:
    documents: int
    avg_lengths: tuple[float, float, float]


def stats_key(version: int) -> str:
    return f"search:stats:{version}"


def collection_stats() -> CollectionStats:
    """Entry count and average field lengths. Cached per index version: in another process the
    cached figures may be up to five minutes old, which moves scores a little and nothing else."""
    key = stats_key(index_version())
    memo = request_memo()
    stats = memo.get(key) if memo is not None else None  # read ahead (search_figures_read_ahead)
    if stats is None:
        stats = cache.get(key)
    if stats is None:
        row = SearchDocument.objects.aggregate(
            n=Count("id"), t=Avg("title_len"), s=Avg("summary_len"), b=Avg("body_len")
        )
        stats = CollectionStats(row["n"] or 0, (row["t"] or 1.0, row["s"] or 1.0, row["b"] or 1.0))
        cache.set(key, stats, 300)
    return stats


def field_norms(lengths, avg_lengths) -> list[float]:
    """BM25's length normalisation per field."""
    return [1 - B + B * length / (avg or 1.0) for length, avg in zip(lengths, avg_lengths, strict=True)]


def impact(frequencies, norms) -> float:
    """A term's field-weighted, normalised and saturated frequency in one entry (BM25F without
    the idf): what orders the postings (indexing.py) and what the ranker sums per term."""
    weighted = sum(FIELD_WEIGHTS[i] * frequencies[i] / norms[i] for i in range(3) if frequencies[i])
    return weighted * (K1 + 1) / (weighted + K1)
