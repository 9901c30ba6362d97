"""Absolute links follow the site's address (issue 20, item 2): a report published under one
address is served, page and files, with its links naming the address the bank has now."""

import pytest
from django.urls import reverse

from methodbank.reports import services

from .factories import small_catalog, small_report_definition

pytestmark = pytest.mark.django_db


def test_a_published_report_follows_a_new_site_address(client, coordinator, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    catalog = small_catalog()
    published = services.report_publish(definition=small_report_definition(catalog), by=coordinator)
    entry_path = catalog["model"].get_absolute_url()
    assert f"http://127.0.0.1:8000{entry_path}".encode() in published.html_file.open("rb").read()

    settings.SITE_URL = "http://127.0.0.1:8101"
    page = client.get(published.get_absolute_url()).content.decode()
    assert f'href="http://127.0.0.1:8101{entry_path}"' in page and ":8000" not in page
    slug, version = published.definition.slug, published.version
    for fmt in ("html", "docx"):
        response = client.get(reverse("reports:published_download", args=[slug, version, fmt]))
        body = b"".join(response.streaming_content)
        if fmt == "html":
            assert f"http://127.0.0.1:8101{entry_path}".encode() in body and b":8000" not in body
        else:
            assert body.startswith(b"PK")
    # The original files stay exactly as published.
    published.refresh_from_db()
    assert f"http://127.0.0.1:8000{entry_path}".encode() in published.html_file.open("rb").read()


def test_the_same_address_serves_the_published_file_itself(client, coordinator, settings):
    catalog = small_catalog()
    published = services.report_publish(definition=small_report_definition(catalog), by=coordinator)
    response = client.get(reverse("reports:published_download", args=[published.definition.slug, 1, "html"]))
    assert b"".join(response.streaming_content) == published.html_file.open("rb").read()
