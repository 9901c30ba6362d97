"""The usage figures: a team's on its own page and per entry, the coordinators' top lists."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from methodbank.accounts.roles import coordinator_required, is_coordinator, is_team_member
from methodbank.catalog.models import Practice
from methodbank.core.charts import BarChart, Series

from . import selectors
from .models import UsageKind

OWN_PAGE_MONTHS = 6
ENTRY_MONTHS = 12
TOP_LIST_PERIODS = (1, 3, 12)  # months


def _month_labels(months):
    return [date_format(month, "YEAR_MONTH_FORMAT") for month in months]


def own_page_block(request) -> str:
    """On the own page: the page views of the team's entries by month, and each entry's figures."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    practices = list(selectors.team_practices(user=user))
    coordinator = is_coordinator(user)
    if not practices and not coordinator:
        return ""
    months = selectors.months_back(OWN_PAGE_MONTHS)
    ids = [p.pk for p in practices]
    chart = None
    by_month, figures = selectors.usage_for_own_page(practice_ids=ids, months=months) if ids else ({}, {})
    if practices:
        chart = BarChart(
            title=_("Page views of your entries by month"),
            labels=_month_labels(months),
            series=[Series(str(UsageKind.VIEW.label), by_month[UsageKind.VIEW])],
            label_heading=_("Month"),
        )
    rows = [(p, [figures[p.pk][kind] for kind in UsageKind.values]) for p in practices]
    return render_to_string(
        "usage/_own_page_block.html",
        {"chart": chart, "rows": rows, "kinds": UsageKind.choices, "months": OWN_PAGE_MONTHS,
         "coordinator": coordinator},
        request=request,
    )


@login_required
@require_GET
def practice_usage(request, pk):
    practice = get_object_or_404(Practice, pk=pk)
    if not (is_team_member(request.user, practice) or is_coordinator(request.user)):
        raise PermissionDenied
    months = selectors.months_back(ENTRY_MONTHS)
    figures = selectors.usage_by_month(practice_ids=[practice.pk], months=months)
    labels = _month_labels(months)
    charts = [
        BarChart(
            title=_("%(kind)s of “%(entry)s” by month") % {"kind": str(label).capitalize(), "entry": practice.title},
            labels=labels,
            series=[Series(str(label), figures[kind])],
            label_heading=_("Month"),
        )
        for kind, label in UsageKind.choices
    ]
    return render(request, "usage/practice_usage.html", {"practice": practice, "charts": charts, "months": ENTRY_MONTHS})


@coordinator_required
@require_GET
def top_lists(request):
    # An unknown value shows the default list rather than an error: these are bookmarkable filters.
    kind = request.GET.get("kind", "")
    if kind not in UsageKind.values:
        kind = UsageKind.VIEW
    try:
        period = int(request.GET.get("months", ""))
    except ValueError:
        period = 3
    if period not in TOP_LIST_PERIODS:
        period = 3
    since = selectors.months_back(period)[0]
    return render(
        request,
        "usage/top_lists.html",
        {
            "themes": selectors.top_by_theme(kind=kind, since=since),
            "kind": kind,
            "kind_label": UsageKind(kind).label,
            "kinds": UsageKind.choices,
            "period": period,
            "periods": TOP_LIST_PERIODS,
            "since": since,
        },
    )
