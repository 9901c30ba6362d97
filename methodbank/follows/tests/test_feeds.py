"""Atom feeds: valid Atom (feedparser), only published entries, newest change first, per target and
language, linked from the matching pages."""

import datetime

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from methodbank.catalog.models import PublicationStatus
from methodbank.catalog.tests.factories import (
    PlacementFactory,
    PracticeFactory,
    PracticeTranslationFactory,
    ProjectFactory,
    SubthemeFactory,
    ThemeFactory,
)
from methodbank.follows.targets import feed_path, search_key
from methodbank.search.models import Concept

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    theme = ThemeFactory(code="A")
    subtheme = SubthemeFactory(theme=theme, name="Hakeutuminen")
    other_sub = SubthemeFactory(theme=ThemeFactory(code="C"), name="Tuki")
    project = ProjectFactory(name="Opin portailla")
    mentoring = PracticeFactory(title="Maahanmuuttajien mentorointi", summary="Mentorit tukevat.", project=project)
    workshop = PracticeFactory(title="Tukipaja maahanmuuttajille", summary="Apua pajassa.")
    draft = PracticeFactory(title="Luonnos maahanmuuttajille", status=PublicationStatus.DRAFT, published_at=None,
                            project=project)
    PlacementFactory(practice=mentoring, subtheme=subtheme)
    PlacementFactory(practice=draft, subtheme=subtheme)
    PlacementFactory(practice=workshop, subtheme=other_sub)
    PracticeTranslationFactory(practice=mentoring, language="sv", title="Mentorskap för invandrare")
    # Not a browse value (the vocabulary's "maahanmuuttaja" is one): its entries are what a search finds.
    Concept.objects.create(identifier="maahanmuuttaja-haku", pref_label_fi="maahanmuuttaja")
    return {"theme": theme, "subtheme": subtheme, "project": project, "mentoring": mentoring,
            "workshop": workshop, "draft": draft}


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def feed_urls(catalog, language="fi"):
    with translation.override(language):
        return {
            "all": feed_path("all", ""),
            "theme": feed_path("theme", catalog["theme"].slug),
            "subtheme": feed_path("subtheme", f"{catalog['theme'].slug}/{catalog['subtheme'].slug}"),
            "project": feed_path("project", catalog["project"].slug),
            "search": feed_path("search", search_key("q=maahanmuuttajille")),
            "filtered": feed_path("search", search_key(f"theme={catalog['theme'].slug}")),
            "concept": feed_path("concept", "maahanmuuttaja-haku"),
        }


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_feed_is_valid_atom_of_published_entries_only(client, catalog, language):
    titles = {}
    for name, url in feed_urls(catalog, language).items():
        assert url.startswith(f"/{language}/")
        feed = parse(client, url)
        assert feed.feed.language == language
        with translation.override(language):
            assert feed.feed.title.startswith(gettext("Menetelmäpankki") + ": ")
        for entry in feed.entries:
            assert entry.id and entry.link.startswith("http") and entry.updated_parsed
        titles[name] = {entry.title.split(" (")[0] for entry in feed.entries}
        assert not any("Luonnos" in title for title in titles[name]), name
    mentoring = "Mentorskap för invandrare" if language == "sv" else "Maahanmuuttajien mentorointi"
    assert titles["all"] == {mentoring, "Tukipaja maahanmuuttajille"}
    assert titles["theme"] == titles["subtheme"] == titles["project"] == titles["filtered"] == {mentoring}
    assert "Tukipaja maahanmuuttajille" in titles["search"]
    assert titles["concept"] == {mentoring, "Tukipaja maahanmuuttajille"}


def test_feed_lists_the_latest_change_first_and_links_the_language_version(client, catalog):
    workshop = catalog["workshop"]
    workshop.summary = "Päivitetty kuvaus."
    workshop.save()
    feed = parse(client, feed_urls(catalog, "en")["all"])
    assert feed.entries[0].title.startswith("Tukipaja")
    assert feed.entries[0].link.endswith(f"/en/menetelmat/{workshop.slug}/")
    assert feed.entries[0].summary == "Päivitetty kuvaus."
    assert feed.feed.link == "http://127.0.0.1:8000/en/"  # from SITE_URL, not the request's host


def test_text_in_a_feed_is_text_not_markup(client, catalog):
    workshop = catalog["workshop"]
    workshop.title, workshop.summary = "<b>Paja</b>", '<script>alert("x")</script> & <img src=x onerror=1>'
    workshop.save()
    response = client.get(feed_urls(catalog)["all"])
    # The summary is escaped once for XML and once for the HTML readers render it as.
    assert b"&amp;lt;script&amp;gt;" in response.content and b"<script" not in response.content
    entry = next(e for e in parse(client, feed_urls(catalog)["all"]).entries if "Paja" in e.title)
    assert entry.title.startswith("<b>Paja</b>")  # a text title: shown as written
    assert entry.summary == "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=1&gt;"


def test_feeds_of_unknown_or_hostile_targets_are_404(client, catalog):
    bad = [
        "/fi/syotteet/teemat/ei-ole/",
        "/fi/syotteet/hankkeet/%00/",
        "/fi/syotteet/alateemat/ei/ole/",
        "/fi/syotteet/kasitteet/" + "x" * 2000 + "/",
        "/fi/syotteet/tuntematon/a/",
        "/fi/syotteet/haku/x/",
    ]
    draft_project = ProjectFactory(status=PublicationStatus.DRAFT, published_at=None)
    bad.append(f"/fi/syotteet/hankkeet/{draft_project.slug}/")
    for url in bad:
        assert client.get(url).status_code == 404, url
    # Hostile search parameters give a valid feed, never an error.
    for query in ["q=%00%3Cscript%3E", "theme=%00", "q=" + "ä" * 3000, "kind=x&kind=y&page=-1"]:
        parse(client, reverse("follows:feed_search") + "?" + query)


def test_search_feed_reads_only_the_canonical_parameters(client, catalog):
    assert search_key("page=3&q=  ohjaus   &theme=B&theme=A&utm=x") == "q=ohjaus&theme=A&theme=B"
    feed = parse(client, reverse("follows:feed_search") + f"?theme={catalog['theme'].slug}&page=2&q=mentorointi")
    assert [e.title.split(" (")[0] for e in feed.entries] == ["Maahanmuuttajien mentorointi"]


def test_pages_link_their_feed(client, catalog):
    theme, subtheme, project = catalog["theme"], catalog["subtheme"], catalog["project"]
    with translation.override("sv"):
        pages = {
            reverse("core:home"): feed_path("all", ""),
            theme.get_absolute_url(): feed_path("theme", theme.slug),
            subtheme.get_absolute_url(): feed_path("subtheme", f"{theme.slug}/{subtheme.slug}"),
            project.get_absolute_url(): feed_path("project", project.slug),
            reverse("search:search") + "?q=mentorointi&page=2": feed_path("search", "q=mentorointi"),
            reverse("search:search"): feed_path("all", ""),
        }
    for page, feed in pages.items():
        html = client.get(page).content.decode()
        assert 'type="application/atom+xml"' in html, page
        assert f'href="http://127.0.0.1:8000{feed}"'.replace("&", "&amp;") in html, page
        assert feed.startswith("/sv/")


def test_feed_is_cached_for_visitors_until_the_catalog_changes(client, catalog, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    url = feed_urls(catalog)["all"]
    assert len(parse(client, url).entries) == 2
    PracticeFactory(title="Uusi", published_at=timezone.now() + datetime.timedelta(seconds=1))
    assert len(parse(client, url).entries) == 3


def test_a_browse_value_feed_lists_the_entries_a_coordinator_confirmed_for_it(client, catalog):
    from methodbank.search.models import ConceptCategory, FacetAssignment, FacetStatus

    roma = Concept.objects.create(identifier="romanit-test", pref_label_fi="romanit",
                                  category=ConceptCategory.TARGET_GROUP, facet_value=True)
    # Confirmed: listed; only suggested: not yet (its browse page does not list it either).
    FacetAssignment.objects.create(practice=catalog["workshop"], concept=roma, status=FacetStatus.CONFIRMED)
    FacetAssignment.objects.create(practice=catalog["mentoring"], concept=roma, status=FacetStatus.SUGGESTED)
    with translation.override("fi"):
        feed = parse(client, feed_path("concept", roma.identifier))
    assert [entry.title.split(" (")[0] for entry in feed.entries] == ["Tukipaja maahanmuuttajille"]
    assert feed.feed.link.endswith(roma.get_absolute_url())
    # Its browse page links the feed and offers the follow.
    page = client.get(roma.get_absolute_url()).content.decode()
    assert f'href="{feed_path("concept", roma.identifier)}"' in page or "application/atom+xml" in page
