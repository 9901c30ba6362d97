"""The search page: parse the request, call the search selectors, render. With HTMX the same view
returns only the live region (results, facets, pagination) and the announced result count."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from methodbank.core.cache import cache_public_page
from methodbank.core.pagination import page_window

from .facets import FACET_VISIBLE, all_facets, parse_filters
from .log_views import log_search
from .selectors import search_entries, search_figures_read_ahead, search_hits
from .services import SEARCH_LOG_PURGE_KEY

PAGE_SIZE = 20


def _url(params: list[tuple[str, str]]) -> str:
    return "?" + urlencode(params) if params else "?"


@require_GET
@log_search
@cache_public_page
def search(request):
    text = request.GET.get("q", "")[:500]
    filters = parse_filters(request.GET)
    language = (get_language() or "fi")[:2]
    if text.strip():
        # The versions and statistics the search reads from the cache, and whether the search log
        # was purged lately (log_search writes after this view), in two round trips instead of six.
        search_figures_read_ahead(also=[SEARCH_LOG_PURGE_KEY])
    results = search_entries(text=text, filters=filters, language=language)
    page = Paginator(results.entries, PAGE_SIZE).get_page(request.GET.get("page"))
    hits = search_hits(results, list(page.object_list), language=language)

    base_params = [("q", text)] if text else []
    filter_params = [(param, value) for param, values in filters.items() for value in values]
    labels = {(f.param, v.value): v.label for f in results.facets for v in f.values}
    facet_labels = {f.param: str(f.label) for f in all_facets()}
    selected = [
        {
            "facet": facet_labels[param],
            "label": labels.get((param, value), value),
            "remove_url": _url(base_params + [p for p in filter_params if p != (param, value)]),
        }
        for param, value in filter_params
    ]
    complete_hits = [hit for hit in hits if hit.complete]
    context = {
        "q": text,
        "results": results,
        "hits": hits,
        "page": page,
        # The first, the last and the pages around this one: looping over every page number left
        # 100 KB of whitespace in the page at 100,000 entries (5,000 pages).
        "page_numbers": page_window(page),
        "complete_hits": complete_hits,
        "partial_hits": [hit for hit in hits if not hit.complete],
        "partial_start": (page.start_index() or 1) + len(complete_hits),
        "selected": selected,
        "clear_filters_url": _url(base_params),
        "page_url_prefix": _url(base_params + filter_params) + "&page=",
        "suggestion_url": _url([("q", results.suggestion)] + filter_params) if results.suggestion else "",
        "suggestion_links": [
            {"text": t, "url": _url([("q", t)] + filter_params)} for t in results.suggestions
        ],
        "facet_visible": FACET_VISIBLE,
        "facet_head": f":{FACET_VISIBLE}",
        "facet_tail": f"{FACET_VISIBLE}:",
    }
    template = "search/_htmx.html" if getattr(request, "htmx", False) else "search/search.html"
    response = render(request, template, context)
    if text.strip() and not filters and request.GET.get("page", "1") in ("", "1"):
        response.search_log = (text, results.count)  # kept in the page cache with the response
    return response
