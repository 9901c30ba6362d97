"""Keyset pagination of the lists in id order (issue 23): every page costs the same, the last of a
large catalog included; a walk with the `next` links sees every entry once while the catalog
changes; a bad cursor is a 400 problem that names it."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from methodbank.catalog.models import Practice, PublicationStatus
from methodbank.catalog.tests.factories import KeywordFactory, PracticeFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def _ids(body):
    return [item["id"] for item in body["results"]]


def _walk(client, url, *, between=None):
    """Follow `next` from url to the end; returns the ids seen, in order."""
    seen, step = [], 0
    while url:
        body = client.get(url).json()
        seen += _ids(body)
        url = body["next"]
        if between is not None:
            between(step)
        step += 1
    return seen


def test_the_next_links_walk_the_list_without_gaps_or_repeats_while_it_changes(client, catalog):
    PracticeFactory.create_batch(8)
    initial = sorted(Practice.objects.published().values_list("pk", flat=True))
    assert len(initial) == 10
    published_meanwhile, withdrawn = [], []

    def change(step):
        # After each page: a new entry is published, and from the second page on one already read
        # is withdrawn (an offset would then skip the entry that moved up into the page read).
        published_meanwhile.append(PracticeFactory().pk)
        if step >= 1:
            read = initial[step - 1]
            Practice.objects.filter(pk=read).update(status=PublicationStatus.ARCHIVED)
            withdrawn.append(read)

    seen = _walk(client, "/api/v1/entries?limit=3", between=change)
    assert len(seen) == len(set(seen)), "an entry was listed twice"
    assert seen == sorted(seen)
    # Every entry published when the walk began is seen (even those withdrawn after being read),
    # and so is every entry published during the walk: they have larger ids.
    assert set(initial) <= set(seen)
    assert set(published_meanwhile[:-1]) <= set(seen)
    assert withdrawn


def test_previous_links_walk_back_to_the_first_page(client, catalog):
    PracticeFactory.create_batch(6)
    everything = sorted(Practice.objects.published().values_list("pk", flat=True))
    body = client.get(f"/api/v1/entries?limit=3&after={everything[-2]}").json()
    assert _ids(body) == everything[-1:] and body["next"] is None
    pages = []
    url = body["previous"]
    while url:
        body = client.get(url).json()
        pages.append(_ids(body))
        url = body["previous"]
    assert pages == [everything[-4:-1], everything[-7:-4], everything[:-7]]
    # The first page reached backwards leads forwards again by cursor.
    assert (
        f"after={everything[-8]}"
        in client.get(f"/api/v1/entries?limit=3&before={everything[-7]}").json()["next"]
    )


def test_empty_pages_past_either_end_lead_back(client, catalog):
    ids = sorted(Practice.objects.published().values_list("pk", flat=True))
    past_end = client.get(f"/api/v1/entries?after={ids[-1]}").json()
    assert past_end["results"] == [] and past_end["next"] is None and past_end["count"] == 2
    assert _ids(client.get(past_end["previous"]).json()) == ids
    before_start = client.get(f"/api/v1/entries?before={ids[0]}").json()
    assert before_start["results"] == [] and before_start["previous"] is None
    assert _ids(client.get(before_start["next"]).json()) == ids


def test_filters_are_kept_in_the_cursor_links(client, catalog):
    for _ in range(3):
        PracticeFactory(keywords=[catalog["keyword"]])
    PracticeFactory.create_batch(3)
    expected = sorted(
        Practice.objects.published().filter(keywords=catalog["keyword"]).values_list("pk", flat=True)
    )
    assert _walk(client, "/api/v1/entries?limit=2&keyword=sujuvat-siirtymat") == expected


@pytest.mark.parametrize(
    ("make", "url"),
    [
        (lambda: ProjectFactory.create_batch(5), "/api/v1/projects?limit=2"),
        (lambda: KeywordFactory.create_batch(5), "/api/v1/keywords?limit=2"),
        (lambda: ProjectFactory.create_batch(5), "/api/v1/organisations?limit=2"),
        (lambda: None, "/api/v1/subthemes?limit=1"),
    ],
)
def test_every_list_in_id_order_pages_by_cursor(client, catalog, make, url):
    make()
    first = client.get(url).json()
    assert "after=" in first["next"]
    seen = _walk(client, url)
    assert seen == sorted(set(seen)) and len(seen) == first["count"]


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json(), [query["sql"] for query in captured.captured_queries]


@pytest.mark.parametrize("url", ["/api/v1/entries?limit=5", "/api/v1/entries?limit=5&theme=A"])
def test_the_last_page_costs_what_the_first_does_at_two_catalog_sizes(client, catalog, url):
    """The same queries for the first page and for the last, reached by `next`, with 15 and with 45
    entries; none of them skips rows with OFFSET."""
    from methodbank.catalog.tests.factories import PlacementFactory

    counts = {}
    for size in (15, 45):
        while Practice.objects.published().count() < size:
            PlacementFactory(
                practice=PracticeFactory(), subtheme=catalog["sub_a"], period=catalog["new_period"]
            )
        first, first_sql = _queries(client, url)
        last_url = first["next"]
        while True:
            body = client.get(last_url).json()
            if body["next"] is None:
                break
            last_url = body["next"]
        _body, last_sql = _queries(client, last_url)
        assert not [sql for sql in first_sql + last_sql if re.search(r"\bOFFSET\s+[1-9]", sql)]
        counts[size] = (len(first_sql), len(last_sql))
    assert counts[15] == counts[45]
    assert counts[15][1] <= counts[15][0] + 1  # the cursor page adds at most the EXISTS behind it


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("after=-1", "after"),
        ("after=abc", "after"),
        ("after=1.5", "after"),
        ("after=%00", "after"),
        ("after=", "after"),
        ("after=9223372036854775808", "after"),
        ("after=99999999999999999999999999999", "after"),
        ("before=0", "before"),
        ("before=" + "9" * 5000, "before"),
        ("after=1&before=5", "before"),
        ("after=1&offset=20", "after"),
        ("before=5&offset=20", "before"),
        ("after=1&q=ohjaus", "after"),
        ("offset=10001", "offset"),
        ("offset=99900", "offset"),
    ],
)
def test_a_bad_cursor_is_a_400_problem_that_names_it(client, catalog, query, parameter):
    response = client.get(f"/api/v1/entries?{query}")
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert [error["name"] for error in body["errors"]] == [parameter]


def test_a_deep_offset_names_the_cursor_to_use_instead(client, catalog):
    detail = client.get("/api/v1/entries?limit=100&offset=99900").json()["detail"]
    assert "'offset'" in detail and "after=" in detail
    assert client.get("/api/v1/entries?offset=10000").status_code == 200


def test_the_largest_cursor_is_an_empty_page_not_an_error(client, catalog):
    body = client.get("/api/v1/entries?after=9223372036854775807").json()
    assert body["results"] == [] and body["previous"]
    assert client.get(body["previous"]).status_code == 200
    assert client.get("/api/v1/entries?before=9223372036854775807").json()["count"] == 2


def test_the_schema_describes_the_cursor(client):
    schema = client.get("/api/schema").json()
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/entries"]["get"]["parameters"]}
    assert {"after", "before", "offset"} <= set(parameters)
    assert parameters["offset"]["schema"]["maximum"] == 10_000
    assert "'minimum': 0" in str(parameters["after"]["schema"])  # anyOf integer or null
    assert "after" in parameters["offset"]["description"]
    own = {p["name"] for p in schema["paths"]["/api/v1/me/entries"]["get"]["parameters"]}
    assert "after" not in own and "offset" in own  # the token owner's list is by last change
