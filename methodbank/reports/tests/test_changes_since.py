"""What's new since a published report version: the public page (the API answer: api/tests)."""

import pytest
from django.urls import reverse

from methodbank.catalog.tests.factories import PlacementFactory, PracticeFactory

from .factories import published_version, small_catalog, small_report_definition

pytestmark = pytest.mark.django_db


def _changes_url(slug, version):
    return reverse("reports:published_changes", kwargs={"slug": slug, "version": version})


def test_page_lists_added_changed_and_removed_entries_with_the_fields_that_changed(client):
    catalog = small_catalog()
    definition = small_report_definition(catalog)
    published = published_version(definition)
    url = _changes_url(definition.slug, 1)
    unchanged = client.get(url).content.decode()
    assert "Nothing has changed since this version." in unchanged and "Changed entries (0)" in unchanged

    model = catalog["model"]
    model.results_and_indicators = "Keskeyttäneitä 40 % vähemmän."
    model.save()
    catalog["newer"].status = "archived"
    catalog["newer"].save()
    added = PracticeFactory(title="Uusi käytäntö <script>", project=catalog["projects"][0])
    PlacementFactory(practice=added, theme=catalog["themes"][1], subtheme=catalog["subthemes"][2],
                     period=catalog["periods"][0])

    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "New entries (1)" in html and "Uusi käytäntö &lt;script&gt;" in html and "<script>" not in html.split("</head>")[1]
    assert "Changed entries (1)" in html and 'data-field="results_and_indicators"' in html
    assert "Keskeyttäneitä 40 % vähemmän." in html  # the line diff of the field
    assert "Removed entries (1)" in html and "Vertaisryhmät" in html
    # The published version itself never changes.
    published.refresh_from_db()
    assert "Vertaisryhmät" in {e["title"] for e in published.context["entries"].values()}
    # Linked from the version's page.
    detail = client.get(published.get_absolute_url()).content.decode()
    assert url in detail


def test_a_definition_edited_since_is_compared_as_it_selects_now(client):
    catalog = small_catalog()
    definition = small_report_definition(catalog)
    published_version(definition)
    url = _changes_url(definition.slug, 1)
    assert "Removed entries (0)" in client.get(url).content.decode()
    definition.subthemes.set([catalog["subthemes"][2]])  # only B: the theme A entries leave the selection
    definition.save()
    assert "Removed entries (2)" in client.get(url).content.decode()


@pytest.mark.parametrize(
    "path",
    ["/fi/raportit/ei-ole/v1/uutta/", "/fi/raportit/{slug}/v2/uutta/", "/fi/raportit/{slug}/v0/uutta/",
     "/fi/raportit/{slug}%3Cscript%3E/v1/uutta/", "/fi/raportit/{slug}/v99999999999999999999/uutta/"],
)
def test_unknown_versions_and_hostile_addresses_are_404(client, path):
    definition = small_report_definition(small_catalog())
    published_version(definition)
    assert client.get(path.format(slug=definition.slug)).status_code == 404
