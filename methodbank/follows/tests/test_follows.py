"""Following from a page, managing follows on the own page, other users' follows refused, hostile
input, and the erasure of an account's follows."""

import pytest
from django.urls import reverse
from django.utils import translation

from methodbank.accounts.services import user_delete_account
from methodbank.catalog.tests.factories import PlacementFactory, ProjectFactory, SubthemeFactory
from methodbank.follows.models import Follow, Frequency

pytestmark = pytest.mark.django_db


@pytest.fixture
def subtheme():
    subtheme = SubthemeFactory()
    PlacementFactory(subtheme=subtheme)
    return subtheme


def en(name, **kwargs):
    with translation.override("en"):
        return reverse(name, **kwargs)


def follow_post(client, kind, key, frequency="weekly", next_url="/en/"):
    return client.post(en("follows:follow_create"), {"kind": kind, "key": key, "frequency": frequency, "next": next_url})


def test_visitor_sees_sign_in_link_and_feed_not_a_form(client, subtheme):
    html = client.get(subtheme.theme.get_absolute_url()).content.decode()
    assert "login/?next=" + subtheme.theme.get_absolute_url() in html
    assert 'action="/fi/seuranta/seuraa/"' not in html
    response = follow_post(client, "theme", subtheme.theme.slug)
    assert response.status_code == 302 and "/tili/" in response["Location"]
    assert not Follow.objects.exists()


def test_follow_from_the_page_then_manage_on_the_own_page(client, contributor, subtheme):
    client.force_login(contributor)
    theme = subtheme.theme
    with translation.override("en"):
        page = theme.get_absolute_url()
    html = client.get(page).content.decode()
    assert 'action="/en/seuranta/seuraa/"' in html and "Follow this theme" in html

    response = follow_post(client, "theme", theme.slug, "daily", next_url=page)
    assert response.status_code == 302 and response["Location"] == page
    follow = Follow.objects.get(user=contributor)
    assert (follow.kind, follow.key, follow.frequency) == ("theme", theme.slug, Frequency.DAILY)
    html = client.get(page).content.decode()
    assert "You follow this: a daily e-mail digest" in html

    # Following again only changes the frequency.
    follow_post(client, "theme", theme.slug, "weekly")
    assert Follow.objects.get().frequency == Frequency.WEEKLY

    own = client.get(en("contributions:own_page")).content.decode()
    assert "What I follow" in own and theme.local_name in own
    client.post(en("follows:follow_update", kwargs={"pk": follow.pk}), {"frequency": "daily", "next": "/en/"})
    assert Follow.objects.get().frequency == Frequency.DAILY
    client.post(en("follows:follow_delete", kwargs={"pk": follow.pk}))
    assert not Follow.objects.exists()


def test_subtheme_project_search_and_concept_can_be_followed(client, contributor, subtheme):
    client.force_login(contributor)
    project = ProjectFactory()
    from methodbank.search.models import Concept

    concept = Concept.objects.first() or Concept.objects.create(identifier="opo", pref_label_fi="opinto-ohjaaja")
    follow_post(client, "subtheme", f"{subtheme.theme.slug}/{subtheme.slug}")
    follow_post(client, "project", project.slug)
    follow_post(client, "search", "page=2&q=ohjaus&theme=" + subtheme.theme.slug)
    follow_post(client, "concept", concept.identifier)
    assert sorted(Follow.objects.values_list("kind", "key")) == sorted([
        ("subtheme", f"{subtheme.theme.slug}/{subtheme.slug}"),
        ("project", project.slug),
        ("search", f"q=ohjaus&theme={subtheme.theme.slug}"),
        ("concept", concept.identifier),
    ])
    html = client.get(en("contributions:own_page")).content.decode()
    assert "Search: ohjaus" in html and project.name in html
    # The search's filters by their labels, as the search page's chips name them.
    with translation.override("en"):
        assert f"(Theme: {subtheme.theme.code}. {subtheme.theme.local_name})" in html


def test_the_search_page_offers_following_its_words_and_filters(client, contributor, subtheme):
    client.force_login(contributor)
    html = client.get(en("search:search") + "?q=ohjaus&page=1").content.decode()
    assert 'name="key" value="q=ohjaus"' in html and "Follow this search" in html
    # HTMX swaps the follow box with the results, so it follows what the page shows.
    html = client.get(en("search:search") + "?q=tuki", HTTP_HX_REQUEST="true").content.decode()
    assert 'id="search-follow" hx-swap-oob="true"' in html and 'value="q=tuki"' in html
    # Nothing searched: nothing to follow (the feed of everything is still linked).
    html = client.get(en("search:search")).content.decode()
    assert "Follow this search" not in html and "/en/syotteet/" in html


@pytest.mark.parametrize("kind,key,frequency", [
    ("theme", "ei-ole", "weekly"),
    ("all", "", "weekly"),
    ("nope", "x", "weekly"),
    ("theme", "<script>", "weekly"),
    ("theme", "a\x00b", "weekly"),
    ("search", "", "weekly"),
    ("search", "page=3", "weekly"),
    ("search", "q=" + "ä" * 500, "weekly"),
    ("theme", "{theme}", "hourly"),
    ("theme", "{theme}", ""),
    ("x" * 500, "{theme}", "weekly"),
])
def test_hostile_or_unknown_follows_are_refused(client, contributor, subtheme, kind, key, frequency):
    client.force_login(contributor)
    response = follow_post(client, kind, key.format(theme=subtheme.theme.slug), frequency)
    assert response.status_code == 302
    assert not Follow.objects.exists()
    assert client.get(response["Location"]).status_code in (200, 302)


def test_next_must_be_on_this_site(client, contributor, subtheme):
    client.force_login(contributor)
    response = follow_post(client, "theme", subtheme.theme.slug, next_url="https://evil.example/")
    assert response["Location"] == en("contributions:own_page") + "#follows"


def test_another_users_follow_is_404(client, contributor, coordinator, subtheme):
    theirs = Follow.objects.create(user=coordinator, kind="theme", key=subtheme.theme.slug)
    client.force_login(contributor)
    assert client.post(en("follows:follow_update", kwargs={"pk": theirs.pk}), {"frequency": "daily"}).status_code == 404
    assert client.post(en("follows:follow_delete", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.get(en("follows:follow_delete", kwargs={"pk": theirs.pk})).status_code == 405
    theirs.refresh_from_db()
    assert theirs.frequency == Frequency.WEEKLY
    assert theirs.key not in client.get(en("contributions:own_page")).content.decode()


def test_erasing_an_account_deletes_its_follows(contributor, coordinator, subtheme):
    Follow.objects.create(user=contributor, kind="theme", key=subtheme.theme.slug)
    kept = Follow.objects.create(user=coordinator, kind="theme", key=subtheme.theme.slug)
    user_delete_account(user=contributor)
    assert list(Follow.objects.all()) == [kept]


_processor_runs = []


def counting_processor(request):
    _processor_runs.append(request.path)
    return {}


def test_a_visitors_follow_box_and_feed_link_run_no_context_processor_again(client, settings):
    """The search page's follow box and feed link are rendered beside the page: for a visitor, with
    what they need only (the page's own render runs the context processors once)."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "OPTIONS": {
            **settings.TEMPLATES[0]["OPTIONS"],
            "context_processors": [*settings.TEMPLATES[0]["OPTIONS"]["context_processors"],
                                   "methodbank.follows.tests.test_follows.counting_processor"],
        }},
    ]
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    _processor_runs.clear()
    html = client.get("/fi/haku/", {"q": "ohjaus"}).content.decode()
    assert "login/?next=/fi/haku/%3Fq%3Dohjaus" in html and 'type="application/atom+xml"' in html
    assert len(_processor_runs) == 1
