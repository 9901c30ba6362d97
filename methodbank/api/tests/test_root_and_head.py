"""/api/v1/ lists its resources with links a client can follow, and HEAD answers wherever GET does,
in the API and on the site (issue 20, item 3)."""

import pytest
from django.urls import reverse

from methodbank.api.opendata import open_data_build

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1"])
def test_api_v1_root_lists_every_resource_with_a_working_link(client, catalog, path):
    response = client.get(path)
    assert response.status_code == 200
    data = response.json()
    names = {r["name"] for r in data["resources"]}
    assert {"entries", "projects", "organisations", "themes", "subthemes", "periods", "keywords"} <= names
    for resource in data["resources"]:
        assert resource["href"].startswith("http://testserver/api/v1/")
        followed = client.get(resource["href"].removeprefix("http://testserver"))
        assert followed.status_code == 200, resource["href"]
        assert followed.json()  # a page of results or a list, never empty here
    assert client.get(data["links"]["schema"].removeprefix("http://testserver")).status_code == 200
    assert {r["name"] for r in data["own_resources"]} == {"me", "me/entries"}


def test_api_v1_root_refuses_a_write_with_405(client, db):
    assert client.post("/api/v1/").status_code == 405


def _head_urls(catalog):
    return [
        "/api/",
        "/api/v1/",
        "/api/v1/entries",
        f"/api/v1/entries/{catalog['model'].pk}",
        "/api/v1/entries/999999",
        "/api/v1/themes",
        "/api/schema",
        "/api/dumps/entries.csv",
        "/api/dumps/entries.xlsx",
        "/api/v1/no-such-thing",
        reverse("core:home"),
        reverse("catalog:open_data"),
        reverse("catalog:open_data_download", args=["entries", "csv"]),
        reverse("catalog:project_list"),
        catalog["model"].get_absolute_url(),
        reverse("search:search") + "?q=ohjaus",
        "/fi/ei-tallaista-sivua/",
    ]


def test_head_answers_like_get_without_a_body(client, catalog):
    open_data_build()
    for url in _head_urls(catalog):
        get = client.get(url)
        head = client.head(url)
        assert head.status_code == get.status_code, url
        assert head.status_code != 405, url
        assert head["Content-Type"] == get["Content-Type"], url
        body = b"".join(head.streaming_content) if head.streaming else head.content
        assert body == b"", url


def test_head_still_refused_where_get_is(client, coordinator):
    # A POST-only action refuses GET and HEAD alike.
    client.force_login(coordinator)
    url = reverse("set_language")
    assert client.get(url).status_code == client.head(url).status_code
