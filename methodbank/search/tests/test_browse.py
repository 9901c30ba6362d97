"""Browse pages of the facet values, their combination with themes and the search, the entry page
and front page parts, and the coordinator's bulk decisions, as visitors and coordinators meet them."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from methodbank.catalog.models import PublicationStatus
from methodbank.catalog.tests.factories import (
    ModelPracticeFactory,
    PlacementFactory,
    PracticeFactory,
    SubthemeFactory,
    ThemeFactory,
)
from methodbank.search.models import Concept, FacetAssignment, FacetStatus

pytestmark = pytest.mark.django_db

CONFIRMED, SUGGESTED, REJECTED = FacetStatus.CONFIRMED, FacetStatus.SUGGESTED, FacetStatus.REJECTED


def _tag(practice, identifier, status=CONFIRMED):
    return FacetAssignment.objects.create(
        practice=practice, concept=Concept.objects.get(identifier=identifier), status=status
    )


@pytest.fixture
def shelf():
    """Two themes; entries about Roma in various states of review and publication."""
    theme_a, theme_b = ThemeFactory(code="A"), ThemeFactory(code="B")
    sub_a, sub_b = SubthemeFactory(theme=theme_a), SubthemeFactory(theme=theme_b)
    entries = {
        "confirmed_a": PracticeFactory(title="Romaninuorten kesäkoulu", slug="kesakoulu"),
        "model_b": ModelPracticeFactory(title="Romanimentorointi", slug="mentorointi"),
        "suggested": PracticeFactory(title="Ehdotettu kohde", slug="ehdotettu"),
        "rejected": PracticeFactory(title="Hylätty kohde", slug="hylatty"),
        "draft": PracticeFactory(title="Luonnoskohde", slug="luonnos", status=PublicationStatus.DRAFT),
        "other_value": PracticeFactory(title="Maahanmuuttajien kesäkoulu", slug="maahanmuuttajat"),
    }
    PlacementFactory(practice=entries["confirmed_a"], subtheme=sub_a)
    PlacementFactory(practice=entries["model_b"], subtheme=sub_b)
    PlacementFactory(practice=entries["suggested"], subtheme=sub_a)
    PlacementFactory(practice=entries["other_value"], subtheme=sub_a)
    _tag(entries["confirmed_a"], "romani")
    _tag(entries["model_b"], "romani")
    _tag(entries["suggested"], "romani", SUGGESTED)
    _tag(entries["rejected"], "romani", REJECTED)
    _tag(entries["draft"], "romani")
    _tag(entries["other_value"], "maahanmuuttaja")
    return {"a": theme_a, "b": theme_b, **entries}


def _listed(response):
    return [[e.slug for e in group.entries] for group in response.context["groups"]]


def test_browse_page_lists_only_confirmed_values_of_published_entries_models_first(client, shelf):
    response = client.get(reverse("search:browse_facet", args=["romani"]))
    assert response.status_code == 200
    assert _listed(response) == [["mentorointi"], ["kesakoulu"]]
    assert response.context["counts"] == {"models": 1, "good_practices": 1}
    assert {t.code: t.entry_count for t in response.context["themes"] if t.entry_count} == {"A": 1, "B": 1}
    html = response.content.decode()
    assert "Ehdotettu kohde" not in html and "Hylätty kohde" not in html and "Luonnoskohde" not in html


@pytest.mark.parametrize("language, label", [("fi", "romani"), ("sv", "rom"), ("en", "Roma")])
def test_browse_page_in_three_languages(client, shelf, language, label):
    response = client.get(f"/{language}/selaa/romani/")
    assert response.status_code == 200
    assert f"</span> {label}</h1>" in response.content.decode()


def test_facet_value_combined_with_a_theme(client, shelf):
    url = reverse("search:browse_facet", args=["romani"])
    response = client.get(url, {"theme": shelf["a"].slug})
    assert _listed(response) == [["kesakoulu"]]
    assert response.context["counts"] == {"models": 0, "good_practices": 1}
    # The way on to the search keeps both selections.
    assert response.context["search_url"] == reverse("search:search") + f"?target=romani&theme={shelf['a'].slug}"


@pytest.mark.parametrize(
    "path, params",
    [
        ("romani", {"theme": "x" * 500}),  # a made-up theme
        ("romani", {"page": "2"}),  # one page only
        ("romani", {"page": "-1"}),
        ("romani", {"page": "²"}),
        ("sujuvat-siirtymat", {}),  # a concept that is not a browse value
        ("nuori", {}),  # a target-group concept not marked as a value
        ("ei-ole", {}),
    ],
)
def test_hostile_or_unknown_browse_addresses_are_404(client, shelf, path, params):
    assert client.get(reverse("search:browse_facet", args=[path]), params).status_code == 404


def test_search_combines_the_facet_with_a_theme_and_words(client, shelf):
    url = reverse("search:search")
    response = client.get(url, {"q": "kesäkoulu", "target": "romani"})
    assert [h.practice.slug for h in response.context["hits"]] == ["kesakoulu"]
    response = client.get(url, {"q": "kesäkoulu", "target": "romani", "theme": shelf["b"].slug})
    assert response.context["hits"] == []
    response = client.get(url, {"target": "romani", "theme": shelf["b"].slug})
    assert [h.practice.slug for h in response.context["hits"]] == ["mentorointi"]
    # The facet counts confirmed values of the results only, in the page's language.
    response = client.get(url, {"q": "kesäkoulu"})
    target = next(f for f in response.context["results"].facets if f.param == "target")
    assert {(v.value, v.label, v.count) for v in target.values} == {("romani", "romani", 1), ("maahanmuuttaja", "maahanmuuttaja", 1)}
    # Hostile values are ignored, never an error.
    assert client.get(url, {"target": ["x" * 300, "\x00", "romani'--"]}).status_code == 200


def test_browse_index_and_front_page_link_the_values_with_counts(client, shelf):
    response = client.get(reverse("search:browse"))
    assert response.status_code == 200
    romani = next(v for c in response.context["categories"] for v in c.values if v.identifier == "romani")
    assert romani.entry_count == 2
    home = client.get(reverse("core:home")).content.decode()
    assert 'id="browse-heading"' in home
    assert reverse("search:browse_facet", args=["romani"]) in home
    assert reverse("search:browse") in home


def test_entry_page_shows_its_confirmed_values_only(client, shelf):
    _tag(shelf["confirmed_a"], "perusopetus", SUGGESTED)
    html = client.get(shelf["confirmed_a"].get_absolute_url()).content.decode()
    assert f'href="{reverse("search:browse_facet", args=["romani"])}"' in html
    assert reverse("search:browse_facet", args=["perusopetus"]) not in html


def _browse_queries(client, url):
    cache.clear()  # the page and its counts computed afresh, as after any catalog change
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_browse_page_queries_do_not_grow_with_the_catalog(client):
    sub = SubthemeFactory()
    url = reverse("search:browse_facet", args=["maahanmuuttaja"])

    def grow(n):
        for _ in range(n):
            practice = PracticeFactory()
            PlacementFactory(practice=practice, subtheme=sub)
            _tag(practice, "maahanmuuttaja")
        for _ in range(n // 5):
            _tag(ModelPracticeFactory(), "maahanmuuttaja")

    grow(5)
    client.get(url)  # once-per-process lookups (content types, sessions) are not the page's cost
    small = _browse_queries(client, url)
    grow(95)  # beyond one page (40): the page reads one page of rows whatever the size
    large = _browse_queries(client, url)
    assert small == large
    # A later page (good practices only) costs no more than the first.
    assert _browse_queries(client, url + "?page=3") <= large


@pytest.fixture
def reviewer(coordinator, client):
    client.force_login(coordinator)
    return client


def test_review_screen_needs_a_coordinator(client, contributor, shelf):
    url = reverse("search:facet_review", args=["romani"])
    assert client.get(url).status_code == 302  # to the log-in
    client.force_login(contributor)
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "confirm", "entry": [shelf["suggested"].pk]}).status_code == 403
    assert FacetAssignment.objects.get(practice=shelf["suggested"]).status == SUGGESTED


def test_coordinator_confirms_suggestions_of_one_value_in_bulk(reviewer, shelf):
    other = _tag(shelf["suggested"], "maahanmuuttaja", SUGGESTED)
    index = reviewer.get(reverse("search:facet_review_index"))
    romani = next(v for v in index.context["values"] if v.identifier == "romani")
    assert (romani.waiting, romani.confirmed) == (1, 3)
    url = reverse("search:facet_review", args=["romani"])
    page = reviewer.get(url)
    assert [s.practice.slug for s in page.context["suggestions"]] == ["ehdotettu"]
    # The rejected, the other value's suggestion and made-up ids are not touched by this screen.
    response = reviewer.post(url, {"action": "confirm", "entry": [
        shelf["suggested"].pk, shelf["rejected"].pk, "abc", "99999999999999999999", "-1"]})
    assert response.status_code == 302
    assert FacetAssignment.objects.get(practice=shelf["suggested"], concept__identifier="romani").status == CONFIRMED
    assert FacetAssignment.objects.get(practice=shelf["rejected"]).status == REJECTED
    other.refresh_from_db()
    assert other.status == SUGGESTED
    # Confirmed: public at once (the page cache follows the decision).
    browse = reviewer.get(reverse("search:browse_facet", args=["romani"]))
    assert "ehdotettu" in _listed(browse)[1]


def test_coordinator_rejects_and_bad_actions_are_refused(reviewer, shelf):
    url = reverse("search:facet_review", args=["romani"])
    assert reviewer.post(url, {"action": "delete", "entry": [shelf["suggested"].pk]}).status_code == 404
    reviewer.post(url, {"action": "reject", "entry": [shelf["suggested"].pk]})
    assert FacetAssignment.objects.get(practice=shelf["suggested"]).status == REJECTED
    assert reviewer.get(reverse("search:facet_review", args=["nuori"])).status_code == 404
