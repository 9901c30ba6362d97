"""The entries list's summary view and its count kept per catalog version (issue 23: a page of 100
whole entries was 259 KB of JSON and counted every matching entry on every page)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import http_date

from methodbank.catalog.models import Practice
from methodbank.catalog.tests.factories import PlacementFactory, PracticeFactory
from methodbank.core.models import CatalogGeneration

pytestmark = pytest.mark.django_db

SUMMARY_KEYS = {
    "id",
    "slug",
    "title",
    "kind",
    "summary",
    "project",
    "themes",
    "language",
    "url",
    "detail",
    "published_at",
    "updated_at",
}


def test_the_summary_view_lists_what_a_portal_shows_and_links_the_whole_entry(client, catalog):
    body = client.get("/api/v1/entries?view=summary&theme=A").json()
    assert body["count"] == 2
    practice = next(item for item in body["results"] if item["id"] == catalog["practice"].pk)
    assert set(practice) == SUMMARY_KEYS
    assert practice["themes"] == ["A", "B"]
    assert practice["project"]["slug"] == "toinen-hanke"
    assert practice["url"].endswith("/fi/menetelmat/paikallinen-sovellus/")
    whole = client.get(practice["detail"])
    assert whole.status_code == 200 and whole.json()["id"] == practice["id"]
    assert "template" in whole.json()
    # The same entries and order as the whole view, and the cursor links keep the view.
    full = client.get("/api/v1/entries?theme=A").json()
    assert [e["id"] for e in full["results"]] == [e["id"] for e in body["results"]]
    first = client.get("/api/v1/entries?view=summary&limit=1").json()
    assert (
        "view=summary" in first["next"]
        and set(client.get(first["next"]).json()["results"][0]) == SUMMARY_KEYS
    )


def test_the_summary_view_works_with_q(client, catalog):
    body = client.get("/api/v1/entries?view=summary&q=ohjaamomalli").json()
    assert [e["id"] for e in body["results"]] == [catalog["model"].pk]
    assert set(body["results"][0]) == SUMMARY_KEYS


def test_a_bad_view_is_a_400_naming_it(client, catalog):
    response = client.get("/api/v1/entries?view=tiny")
    assert response.status_code == 400
    assert [e["name"] for e in response.json()["errors"]] == ["view"]


def _grow(catalog, size):
    while Practice.objects.published().count() < size:
        entry = PracticeFactory(summary="Tiivistelmä " * 20)
        PlacementFactory(practice=entry, subtheme=catalog["sub_a"], period=catalog["new_period"])


def _page(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, len(captured)


def test_a_summary_page_is_small_and_cheap_at_two_catalog_sizes(client, catalog):
    results = {}
    for size in (12, 40):
        _grow(catalog, size)
        summary, summary_queries = _page(client, "/api/v1/entries?view=summary&limit=10&theme=A")
        full, full_queries = _page(client, "/api/v1/entries?limit=10&theme=A")
        # Once the count is cached (it stays until the catalog changes), a page is its rows only.
        again, again_queries = _page(client, "/api/v1/entries?view=summary&limit=10&theme=A")
        assert again.content == summary.content
        results[size] = (summary_queries, full_queries, again_queries)
        assert len(summary.content) * 2 < len(full.content)
    assert results[12] == results[40]
    summary_queries, full_queries, again_queries = results[40]
    assert summary_queries < full_queries
    assert again_queries <= 3  # the theme, the page, its placements


def test_the_kept_count_and_last_modified_follow_every_change(client, catalog):
    # A day ago (before anything is kept): HTTP dates have whole seconds.
    a_day_ago = timezone.now() - datetime.timedelta(days=1)
    Practice.objects.update(updated_at=a_day_ago)
    CatalogGeneration.objects.update(changed_at=a_day_ago)  # the catalog's last change bounds it too
    url = "/api/v1/entries?view=summary"
    first = client.get(url)
    assert first.json()["count"] == 2
    last_modified = first["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304

    new = PracticeFactory()  # published: the count and the latest change move
    after_publish = client.get(url, HTTP_IF_MODIFIED_SINCE=http_date(0))
    assert after_publish.json()["count"] == 3
    assert new.pk in [e["id"] for e in after_publish.json()["results"]]

    new.status = "archived"
    new.save()
    assert client.get(url).json()["count"] == 2

    catalog["model"].summary = "Uusi tiivistelmä."
    catalog["model"].save()
    changed = client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert changed.status_code == 200
    assert changed["Last-Modified"] != last_modified


def test_the_json_is_compact_utf8(client, catalog):
    content = client.get(f"/api/v1/entries/{catalog['model'].pk}").content.decode()
    assert "sujuvat siirtymät" in content and "\\u00e4" not in content
    assert '", "' not in content and '": ' not in content
