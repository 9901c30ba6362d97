"""Reads of the search log for coordinators: the queries that found nothing, and the queries whose
results nobody opened, with counts.

Live search sends a request while the visitor is still typing, so the log holds the unfinished
beginnings of queries too ("opinto-o" before "opinto-ohjaaja"). A query that was, in the same hour
and language, the beginning of a longer logged query is taken as such and left out of the report.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone

from .models import SearchLogEntry

REPORT_LIMIT = 100
REPORT_PERIODS = (7, 30, 90)


@dataclass
class QueryStat:
    query: str
    language: str
    searches: int = 0
    zero_results: int = 0
    clicks: int = 0
    most_results: int = 0


def query_report(*, days: int = 30, now=None, limit: int = REPORT_LIMIT) -> dict[str, list[QueryStat]]:
    """``zero``: queries with no results, most often first; ``no_click``: queries that found
    entries but whose results were never opened, most often first."""
    since = (now or timezone.now()) - timedelta(days=days)
    rows = (
        SearchLogEntry.objects.filter(hour__gte=since)
        .values("query", "language", "hour")
        .annotate(
            searches=Count("id", filter=Q(results__isnull=False)),
            zero=Count("id", filter=Q(results=0)),
            clicks=Count("id", filter=Q(clicked_rank__isnull=False)),
            most=Max("results"),
        )
    )
    by_hour = defaultdict(list)
    for row in rows:
        by_hour[(row["language"], row["hour"])].append(row)
    stats: dict[tuple[str, str], QueryStat] = {}
    for bucket in by_hour.values():
        bucket.sort(key=lambda row: row["query"])
        for i, row in enumerate(bucket):
            later = bucket[i + 1]["query"] if i + 1 < len(bucket) else ""
            unfinished = later.startswith(row["query"]) and not row["clicks"]
            if unfinished:
                continue
            stat = stats.setdefault((row["query"], row["language"]), QueryStat(row["query"], row["language"]))
            stat.searches += row["searches"]
            stat.zero_results += row["zero"]
            stat.clicks += row["clicks"]
            stat.most_results = max(stat.most_results, row["most"] or 0)
    values = list(stats.values())
    zero = sorted((s for s in values if s.zero_results), key=lambda s: (-s.zero_results, s.query))
    no_click = sorted(
        (s for s in values if s.searches and s.most_results and not s.clicks), key=lambda s: (-s.searches, s.query)
    )
    return {"zero": zero[:limit], "no_click": no_click[:limit]}
