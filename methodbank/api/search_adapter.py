"""The seam between the API's ``q`` parameter and the site's Finnish-aware search
(methodbank.search): the API ranks a query exactly as the site's search page does."""

from methodbank.search.selectors import rank_entries, search_query_parse


def practice_ids_by_relevance(q: str, *, language: str = "fi") -> list[int]:
    """Ids of published entries matching ``q``, best match first; the search breaks ties by id.
    Entries matching every word come first, then (for short result lists) those matching some.
    ``language`` is the query's, as the interface language on the site's search page."""
    query = search_query_parse(q, language=language)
    return [entry.practice_id for entry in rank_entries(query).entries]
