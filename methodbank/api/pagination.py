"""Pagination of the API's lists.

Lists ordered by id are paginated by keyset: ``after=<id>`` gives the entries with a larger id,
``before=<id>`` those with a smaller one, and the ``next`` / ``previous`` links carry them. Every
page, the last of 100,000 entries included, then reads the same few rows through the primary key,
and a client walking the list sees no gaps or repeats when entries are published or withdrawn
meanwhile (an offset shifts under it). ``offset`` still works, for existing clients and small
jumps, up to MAX_OFFSET: a deeper OFFSET reads and throws away every row before it (711 ms of SQL
on PostgreSQL for the last page at 100,000 entries), so it is a 400 that names the cursor.

Lists in another order (relevance for ``q``, the token owner's entries by last change) keep
limit/offset links: the search ranks a bounded number of entries, and a user's own entries are few.
"""

from dataclasses import dataclass

from .problems import invalid_parameter

MAX_ID = 2**63 - 1  # the largest id the databases store; a larger number is a 400, not a 500
MAX_OFFSET = 10_000
CURSOR_PARAMS = ("after", "before", "offset")


def offset_too_deep(value: int) -> str:
    return (
        f"at most {MAX_OFFSET}. To go further, follow the answer's `next` link or send "
        "`after=<the last id you have>` (keyset pagination: every page costs the same)."
    )


def check_cursor(*, after, before, offset, q=None) -> None:
    """One way of paging at a time; a cursor only where the order is by id."""
    if after is not None and before is not None:
        raise invalid_parameter("before", "send either `after` or `before`, not both.")
    cursor = "after" if after is not None else "before" if before is not None else None
    if cursor is None:
        return
    if offset:
        raise invalid_parameter(cursor, "send either a cursor (`after`/`before`) or `offset`, not both.")
    if q:
        raise invalid_parameter(
            cursor,
            "with `q` the results are ordered by relevance, not by id: page them with `offset` "
            "(or follow the `next` link).",
        )


@dataclass
class IdPage:
    items: list
    has_next: bool
    has_previous: bool

    @property
    def ids(self) -> list[int]:
        return [item.pk for item in self.items]


def id_page(queryset, *, limit, offset=0, after=None, before=None, load=None) -> IdPage:
    """One page of ``queryset`` in id order, read through the primary key from the cursor on: one
    query (of ``load``: the same rows with the relations the caller needs), plus an EXISTS that stops
    at the first row to know whether a page lies behind the cursor. One row more than the page is
    read to know whether a page follows."""
    rows = queryset if load is None else load
    if after is not None:
        items = list(rows.filter(pk__gt=after).order_by("pk")[: limit + 1])
        return IdPage(items[:limit], len(items) > limit, queryset.filter(pk__lte=after).exists())
    if before is not None:
        items = list(rows.filter(pk__lt=before).order_by("-pk")[: limit + 1])
        return IdPage(items[:limit][::-1], queryset.filter(pk__gte=before).exists(), len(items) > limit)
    items = list(rows.order_by("pk")[offset : offset + limit + 1])
    return IdPage(items[:limit], len(items) > limit, offset > 0)


def in_order(objects, ids) -> list:
    by_id = {obj.pk: obj for obj in objects}
    return [by_id[pk] for pk in ids if pk in by_id]


def _link(request, limit, **param):
    params = request.GET.copy()
    for name in CURSOR_PARAMS:
        params.pop(name, None)
    for name, value in param.items():
        params[name] = str(value)
    params["limit"] = str(limit)
    return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")


def id_page_envelope(request, *, count, items, page: IdPage, limit, offset=0, after=None):
    """The envelope of a page in id order: ``next`` and ``previous`` are cursors."""
    if page.items:
        next_link = _link(request, limit, after=page.ids[-1]) if page.has_next else None
        previous = _link(request, limit, before=page.ids[0]) if page.has_previous else None
    else:
        # An empty page past either end: the way back is the cursor itself, or the offset before.
        next_link = _link(request, limit, after=0) if page.has_next else None
        if not page.has_previous:
            previous = None
        elif after is not None:
            previous = _link(request, limit, before=min(after + 1, MAX_ID))
        else:
            previous = _link(request, limit, offset=max(offset - limit, 0))
    return {"count": count, "next": next_link, "previous": previous, "results": items}


def page_envelope(request, *, count, items, limit, offset):
    """The envelope of a page by offset (lists not ordered by id)."""
    return {
        "count": count,
        "next": _link(request, limit, offset=offset + limit) if offset + limit < count else None,
        "previous": _link(request, limit, offset=max(offset - limit, 0)) if offset > 0 and count else None,
        "results": items,
    }
