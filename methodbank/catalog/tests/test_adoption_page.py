"""A model's page: the number of adopting organisations, the map of the regions and its table,
from approved adoption records only; the page a visitor gets from the cache follows an approval."""

import re

import pytest
from django.utils import translation

from methodbank.catalog.models import AdoptionStatus

from .factories import AdoptionFactory, ModelPracticeFactory, PracticeFactory

pytestmark = pytest.mark.django_db


def _page(client, practice, language="en"):
    with translation.override(language):
        return client.get(practice.get_absolute_url()).content.decode()


def test_the_model_page_counts_organisations_and_draws_the_map_with_a_table(client):
    model = ModelPracticeFactory(title="Ohjaamomalli")
    AdoptionFactory(model=model, organisation="Omnia", municipality="049", experience="Toimii <b>hyvin</b>.")
    AdoptionFactory(model=model, organisation="OMNIA", municipality="091")  # the same organisation again
    AdoptionFactory(model=model, organisation="Osao", municipality="564")
    for status in (AdoptionStatus.PENDING, AdoptionStatus.REJECTED, AdoptionStatus.WITHDRAWN):
        AdoptionFactory(model=model, organisation=f"Ei näy {status}", municipality="698", status=status)
    page = _page(client, model)
    assert 'data-adoption-count="2"' in page
    assert "2 organisations have adopted this model." in page
    assert "Ei näy" not in page and 'data-region="19"' in page  # Lapland is drawn, without a count
    # One image with a title and a description, a count on each region that has one, a colour per class.
    assert re.search(r'<svg class="adoption-map__svg" role="img" aria-labelledby="adoption-map-title adoption-map-desc"',
                     page)
    assert page.count('<g class="adoption-map__region"') == 19
    assert re.findall(r'font-weight="700">(\d+)</text>', page) == ["1", "1"]
    assert "Adopting organisations in 2 regions." in page
    table = page.split('<table class="adoption-table">')[1].split("</table>")[0]
    assert table.count("<tr>") == 20  # the header and the 19 regions
    assert '<th scope="row">Uusimaa</th><td class="numeric">1</td>' in table
    assert '<th scope="row">North Ostrobothnia</th><td class="numeric">1</td>' in table
    # The experience text is shown as text, never as markup.
    assert "Toimii &lt;b&gt;hyvin&lt;/b&gt;." in page


def test_region_names_follow_the_language(client):
    model = ModelPracticeFactory()
    AdoptionFactory(model=model, municipality="853")  # Turku
    assert "Egentliga Finland" in _page(client, model, "sv") and "Åbo" in _page(client, model, "sv")
    assert "Varsinais-Suomi" in _page(client, model, "fi")


def test_a_model_without_adoptions_invites_but_draws_no_map(client):
    model = ModelPracticeFactory()
    page = _page(client, model)
    assert "No organisation has recorded adopting this model yet." in page
    assert "adoption-map" not in page
    assert "Log in to record that your organisation adopted this model" in page
    # A good practice has no adoption section of its own.
    assert "Organisations that adopted this model" not in _page(client, PracticeFactory())


def test_an_approval_retires_the_cached_page(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    model = ModelPracticeFactory()
    assert 'data-adoption-count="0"' in _page(client, model)
    adoption = AdoptionFactory(model=model, status=AdoptionStatus.PENDING)
    assert 'data-adoption-count="0"' in _page(client, model)
    adoption.status = AdoptionStatus.APPROVED
    adoption.save()
    assert 'data-adoption-count="1"' in _page(client, model)


def test_the_page_costs_the_same_whatever_the_number_of_records(client, django_assert_max_num_queries):
    model = ModelPracticeFactory()
    AdoptionFactory(model=model)
    _page(client, model)
    with django_assert_max_num_queries(30) as few:
        _page(client, model)
    for n in range(30):
        AdoptionFactory(model=model, organisation=f"Oppilaitos {n}", municipality=["091", "564", "698"][n % 3])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert 'data-adoption-count="31"' in _page(client, model)
