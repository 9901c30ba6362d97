"""The front page: themes with computed counts, totals, the explanation and the keyword cloud."""

import re

import pytest
from django.urls import reverse

from methodbank.catalog.models import PublicationStatus
from methodbank.catalog.tests.factories import (
    KeywordFactory,
    ModelPracticeFactory,
    PlacementFactory,
    PracticeFactory,
    SubthemeFactory,
    ThemeFactory,
    catalog_clear,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_catalog(request, db):
    # Factory-built tests start from an empty catalog even after the seed was imported.
    if "seeded_db" not in request.fixturenames:
        catalog_clear()


@pytest.fixture
def themes():
    return [ThemeFactory(code=c, name=f"Teema {c}", slug=f"teema-{c.lower()}") for c in "ABCD"]


def test_front_page_has_one_h1_landmarks_and_skip_link(client, themes):
    html = client.get(reverse("core:home")).content.decode()
    assert html.count("<h1") == 1
    assert '<main id="main"' in html and "<header" in html and "<footer" in html and "<nav" in html
    assert 'href="#main"' in html
    assert re.search(r'<html lang="fi"', html)


def test_front_page_lists_the_four_themes_with_links(client, themes):
    html = client.get(reverse("core:home")).content.decode()
    for theme in themes:
        assert theme.get_absolute_url() in html


def test_front_page_counts_and_keyword_weights(client, themes):
    sub = SubthemeFactory(theme=themes[1])
    common, rare = KeywordFactory(name="yleinen", slug="yleinen"), KeywordFactory(name="harvinainen", slug="harvinainen")
    for i in range(8):
        PlacementFactory(practice=PracticeFactory(keywords=[common] + ([rare] if i == 0 else [])), subtheme=sub)
    PlacementFactory(practice=ModelPracticeFactory(keywords=[common]), subtheme=sub)
    PlacementFactory(practice=PracticeFactory(status=PublicationStatus.DRAFT, keywords=[rare]), subtheme=sub)
    response = client.get(reverse("core:home"))
    theme_b = next(t for t in response.context["themes"] if t.code == "B")
    assert (theme_b.model_count, theme_b.good_practice_count) == (1, 8)
    assert response.context["totals"]["models"] == 1 and response.context["totals"]["good_practices"] == 8
    weights = {item.keyword.name: (item.count, item.weight) for item in response.context["cloud"]}
    assert weights == {"yleinen": (9, 5), "harvinainen": (1, 1)}
    html = response.content.decode()
    assert 'class="kw kw--5"' in html and 'class="kw kw--1"' in html


def test_front_page_explains_model_and_good_practice(client, themes):
    html = client.get(reverse("core:home")).content.decode()
    assert 'id="model-heading"' in html and "<strong>" in html
