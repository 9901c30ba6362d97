"""ETag and Last-Modified with conditional GET."""

import datetime

import pytest
from django.utils import timezone
from django.utils.http import http_date

from methodbank.catalog.models import Practice, Project
from methodbank.core.models import CatalogGeneration

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url", ["/api/v1/entries", "/api/v1/entries?kind=model", "/api/v1/projects", "/api/v1/themes"]
)
def test_matching_etag_gives_304(client, catalog, url):
    first = client.get(url)
    assert first.status_code == 200
    etag = first["ETag"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_change_to_content_changes_etag_and_last_modified(client, catalog):
    url = f"/api/v1/entries/{catalog['model'].pk}"
    first = client.get(url)
    assert first["Last-Modified"]
    model = catalog["model"]
    model.summary = "Uusi tiivistelmä."
    model.save()
    second = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second["ETag"] != first["ETag"]
    assert second.json()["summary"] == "Uusi tiivistelmä."


def test_if_modified_since(client, catalog):
    url = "/api/v1/entries"
    last_modified = client.get(url)["Last-Modified"]
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=http_date(0)).status_code == 200


def test_different_pages_have_different_etags(client, catalog):
    first = client.get("/api/v1/entries?limit=1")
    second = client.get("/api/v1/entries?limit=1&offset=1")
    assert first["ETag"] != second["ETag"]


def test_public_reads_allow_other_sites_scripts(client, catalog):
    response = client.get("/api/v1/entries", HTTP_ORIGIN="https://oppilaitos.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]


@pytest.mark.parametrize("url", ["/api/v1/entries", "/api/v1/entries?view=summary", "/api/v1/projects"])
def test_a_withdrawal_moves_the_lists_last_modified(client, catalog, url):
    """The withdrawn entry leaves the list, so the newest entry left is no newer than before: a
    client asking If-Modified-Since was told 304 and kept showing it."""
    a_day_ago = timezone.now() - datetime.timedelta(days=1)  # HTTP dates have whole seconds
    Practice.objects.update(updated_at=a_day_ago)
    Project.objects.update(updated_at=a_day_ago)
    CatalogGeneration.objects.update(changed_at=a_day_ago)
    before = client.get(url)
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=before["Last-Modified"]).status_code == 304

    withdrawn = catalog["practice"]
    withdrawn.status = "archived"
    withdrawn.save()

    after = client.get(url, HTTP_IF_MODIFIED_SINCE=before["Last-Modified"])
    assert after.status_code == 200
    assert after["Last-Modified"] != before["Last-Modified"]
    if "entries" in url:
        assert withdrawn.pk not in [e["id"] for e in after.json()["results"]]
