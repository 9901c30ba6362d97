"""The seam between the API's ``q`` parameter and the site's Finnish-aware search
(methodbank.search): the API ranks a query exactly as the site's search page does."""

from django.db.models import QuerySet

from methodbank.search.selectors import rank_entries, search_query_parse, suggest_queries


def practice_ids_by_relevance(q: str, *, language: str = "fi", within: QuerySet | None = None) -> list[int]:
    """Ids of published entries matching ``q``, best match first; the search breaks ties by id.
    Entries matching every word come first, then (for short result lists) those matching some.
    ``language`` is the query's, as the interface language on the site's search page. ``within``:
    the entries the other filters allow; when more entries match than the search ranks, it ranks
    those allowed from their own best postings (as the search page does with its facets)."""
    query = search_query_parse(q, language=language)
    ranking = rank_entries(query)
    if within is not None and ranking.capped:
        ranking = rank_entries(query, within=within)
    return [entry.practice_id for entry in ranking.entries]


def suggestions(q: str, count: int, *, language: str = "fi") -> tuple[str, list[str]]:
    """("Did you mean" query or "", other searches) for a query with ``count`` results, as on the page."""
    return suggest_queries(search_query_parse(q, language=language), count, language=language)
