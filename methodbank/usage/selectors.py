"""Reads of the monthly usage figures."""

import datetime
from collections import defaultdict

from django.db.models import Sum
from django.utils import timezone

from methodbank.accounts.roles import team_practices_q
from methodbank.catalog.models import Placement, Practice, Theme

from .models import MonthlyUsage, UsageKind

TOP_LIST_LENGTH = 10


def months_back(count: int, *, today: datetime.date | None = None) -> list[datetime.date]:
    """The first days of the last ``count`` months, this one included, oldest first."""
    today = today or timezone.localdate()
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def team_practices(*, user):
    return Practice.objects.filter(team_practices_q(user)).distinct().order_by("title").only("pk", "title", "slug",
                                                                                             "status")


def usage_by_month(*, practice_ids, months: list[datetime.date]) -> dict[str, list[int]]:
    """{kind: [count per month]} summed over the entries, in the order of ``months``."""
    figures = {kind: [0] * len(months) for kind in UsageKind.values}
    index = {month: i for i, month in enumerate(months)}
    rows = (
        MonthlyUsage.objects.filter(practice_id__in=practice_ids, month__in=months)
        .values("month", "kind")
        .annotate(total=Sum("count"))
    )
    for row in rows:
        figures[row["kind"]][index[row["month"]]] = row["total"]
    return figures


def usage_for_own_page(*, practice_ids, months: list[datetime.date]) -> tuple[dict, dict]:
    """``(usage_by_month, usage_by_practice)`` of the entries in ``months``, from one query."""
    by_month = {kind: [0] * len(months) for kind in UsageKind.values}
    by_practice = {pk: dict.fromkeys(UsageKind.values, 0) for pk in practice_ids}
    index = {month: i for i, month in enumerate(months)}
    rows = MonthlyUsage.objects.filter(practice_id__in=practice_ids, month__in=months).values_list(
        "practice_id", "month", "kind", "count"
    )
    for practice_id, month, kind, count in rows:
        by_month[kind][index[month]] += count
        by_practice[practice_id][kind] += count
    return by_month, by_practice


def top_by_theme(*, kind: str, since: datetime.date, limit: int = TOP_LIST_LENGTH) -> list[tuple]:
    """[(theme, [(practice, count)])]: the most used entries of each theme, most used first.
    An entry placed in two themes is in both lists."""
    totals = dict(
        MonthlyUsage.objects.filter(kind=kind, month__gte=since)
        .values("practice_id")
        .annotate(total=Sum("count"))
        .values_list("practice_id", "total")
    )
    by_theme = defaultdict(list)
    placements = (
        Placement.objects.filter(practice_id__in=list(totals)).values_list("theme_id", "practice_id").distinct()
    )
    for theme_id, practice_id in placements:
        by_theme[theme_id].append(practice_id)
    tops = {
        theme_id: sorted(ids, key=lambda pk: (-totals[pk], pk))[:limit] for theme_id, ids in by_theme.items()
    }
    shown = {pk for ids in tops.values() for pk in ids}
    practices = Practice.objects.in_bulk(shown) if shown else {}
    return [
        (theme, [(practices[pk], totals[pk]) for pk in tops.get(theme.pk, [])])
        for theme in Theme.objects.order_by("code")
    ]
