"""Pagination of the public listings: one rule for reading ``?page=N`` and one for page addresses.

A later page has a stable address (``?page=N``, the first page none), so it can be linked and
crawled. Anything that is not a page of the list (0, -1, 10**30, "²", text) is a 404, as in
Django's own list views, never a 500 and never a different page under the same address;
``?page=last`` is the last page, as in Django's ListView.
"""

from __future__ import annotations

import operator
from functools import reduce

from django.core.paginator import InvalidPage, Paginator
from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _

# More digits than any page number a list can reach; int() of a longer string is not attempted.
_MAX_DIGITS = 9


def paginate(request, object_list, *, per_page: int, keep=()):
    """The page of ``object_list`` that the request asks for (Http404 if there is no such page).
    Page links carry only the query parameters named in ``keep`` (the list's filters), so an
    address with made-up parameters does not spread them to every page it links. A queryset is
    read a page at a time by id first (``rows_of_page``)."""
    if isinstance(object_list, QuerySet):
        object_list = ChainedLists(object_list)
    paginator = Paginator(object_list, per_page)
    raw = request.GET.get("page", "1")
    if raw == "last":
        number = paginator.num_pages
    elif raw.isascii() and raw.isdigit() and len(raw) <= _MAX_DIGITS:
        number = int(raw)
    else:
        raise Http404(_("No such page."))
    try:
        page = paginator.page(number)
    except InvalidPage:
        raise Http404(_("No such page.")) from None
    # What the pagination templates (includes/pagination*.html) link to.
    url = page_url_maker(request, keep=keep)
    page.previous_url = url(page.previous_page_number()) if page.has_previous() else ""
    page.next_url = url(page.next_page_number()) if page.has_next() else ""
    page.window = [(n, url(n) if n else "") for n in page_window(page)]
    return page


def page_url_maker(request, *, keep=()):
    """number -> the address of that page: the request's path and its ``keep`` parameters, and
    ``page`` (left out for the first page, so page 1 has one address)."""
    path = request.path
    base = [(name, value) for name in keep for value in request.GET.getlist(name)]

    def url(number):
        query = QueryDict(mutable=True)
        for name, value in base:
            query.appendlist(name, value)
        if number > 1:
            query["page"] = str(number)
        encoded = query.urlencode()
        return f"{path}?{encoded}" if encoded else path

    return url


def page_window(page, *, around: int = 2):
    """Page numbers to link: the first, the last and ``around`` on each side of the current page,
    with None where numbers are left out (shown as an ellipsis)."""
    last = page.paginator.num_pages
    shown = sorted({1, last, *range(max(1, page.number - around), min(last, page.number + around) + 1)})
    window, previous = [], 0
    for number in shown:
        if number - previous > 1:
            window.append(None)
        window.append(number)
        previous = number
    return window


class ChainedLists:
    """Several ordered querysets read as one list, for a paginator: the count is the sum of their
    counts, and a slice reads only the querysets it falls in (one query each). So "models first,
    then good practices" pages without loading either list. ``counts``, when the caller has them
    (from one aggregate query), saves a count query per queryset."""

    def __init__(self, *querysets, counts=None):
        self._querysets = querysets
        self._counts = list(counts) if counts is not None else None

    def counts(self):
        if self._counts is None:
            self._counts = [qs.count() for qs in self._querysets]
        return self._counts

    def count(self):
        return sum(self.counts())

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice):
            raise TypeError("ChainedLists supports slices only")
        start, stop = item.start or 0, item.stop
        result, offset = [], 0
        for queryset, count in zip(self._querysets, self.counts(), strict=True):
            low, high = max(start - offset, 0), min(stop - offset, count)
            if low < high:
                if isinstance(queryset, QuerySet):
                    result += rows_of_page(queryset, low, high, total=count)
                else:  # A SegmentedQuerySet, or any list that slices itself.
                    result += list(queryset[low:high])
            offset += count
        return result


class SegmentedQuerySet:
    """An ordered queryset cut into consecutive segments, each a filter (a Q) with the number of
    rows it selects, given in the list's order. A slice reads only the segments it falls in, in one
    query, so the database sorts those rows and not the whole list: the sort needs columns of a
    join (an entry's title), and a list of 8,600 placements sorted by them joined every published
    entry on PostgreSQL however far the page was (bench/browse_bench.py, "subtheme, last page").
    The counts must be those of the filters at the time, as ChainedLists' counts are (cache them
    with the catalog's version)."""

    def __init__(self, queryset, segments):
        self._queryset = queryset
        self._segments = list(segments)

    def count(self):
        return sum(count for _, count in self._segments)

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        if not isinstance(item, slice):
            raise TypeError("SegmentedQuerySet supports slices only")
        start, stop = item.start or 0, item.stop if item.stop is not None else self.count()
        covered, base, offset = [], None, 0
        for condition, count in self._segments:
            if offset < stop and offset + count > start:
                base = offset if base is None else base
                covered.append((condition, count))
            offset += count
        if not covered:
            return []
        total = sum(count for _, count in covered)
        queryset = self._queryset.filter(reduce(operator.or_, (condition for condition, _ in covered)))
        return rows_of_page(queryset, start - base, min(stop, base + total) - base, total=total)


_UNIQUE_LAST = {"pk", "-pk", "id", "-id"}


def rows_of_page(queryset, low, high, *, total=None):
    """``list(queryset[low:high])`` in two queries: the ids of the slice, in the queryset's order,
    then the rows of those ids. Sorting for an OFFSET keeps every row before the page: on the
    last page of a 90,000-entry list, 90,000 wide rows (every text column of an entry and its
    joins) took 1.8 s on SQLite; sorting only the ordering's columns and the id does not
    (bench/browse_bench.py, "last page").

    A page in the list's second half (``total`` known) is read from the other end, in the reversed
    order, so the database keeps at most half the list before it instead of nearly all of it: the
    last page costs what the first does. Only for an order that ends with the id, whose reverse is
    exactly the list backwards."""
    ordering = queryset.query.order_by
    if total is not None and low > total - high and ordering and str(ordering[-1]) in _UNIQUE_LAST:
        ids = list(queryset.reverse().values_list("pk", flat=True)[total - high:total - low])[::-1]
    else:
        ids = list(queryset.values_list("pk", flat=True)[low:high])
    if not ids:
        return []
    rows = {row.pk: row for row in queryset.order_by().filter(pk__in=ids)}
    # An id listed twice (a list that repeats an entry) is shown twice, as the slice would.
    return [rows[pk] for pk in ids if pk in rows]
