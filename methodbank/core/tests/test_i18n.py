"""Finnish, Swedish and English: every page in each language, the language switcher, the language
prefix in addresses, and dates and numbers in the visitor's language."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation

from methodbank.catalog.tests.factories import (
    KeywordFactory,
    OldPeriodFactory,
    PlacementFactory,
    PracticeFactory,
    ProjectFactory,
    SubthemeFactory,
    catalog_clear,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ["fi", "sv", "en"]
# The "Projects" link of the main navigation, as a visitor reads it.
NAV_PROJECTS = {"fi": "Hankkeet", "sv": "Projekt", "en": "Projects"}


@pytest.fixture
def catalog(db):
    catalog_clear()
    subtheme = SubthemeFactory(name="Hakeutumisen ohjaus", slug="hakeutumisen-ohjaus")
    project = ProjectFactory(name="Siirtymät sujuviksi", slug="sisu", themes=[subtheme.theme])
    keyword = KeywordFactory(name="sujuvat siirtymät", slug="sujuvat-siirtymat")
    practice = PracticeFactory(
        title="Jalkautuva opinto-ohjaus",
        slug="jalkautuva",
        project=project,
        keywords=[keyword],
        published_at=datetime.datetime(2019, 5, 1, 9, 0, tzinfo=datetime.UTC),  # 12.00 in Helsinki
    )
    PlacementFactory(practice=practice, subtheme=subtheme, period=OldPeriodFactory())
    return {"subtheme": subtheme, "project": project, "keyword": keyword, "practice": practice}


def public_urls(catalog):
    subtheme = catalog["subtheme"]
    return [
        reverse("core:home"),
        reverse("core:accessibility"),
        subtheme.theme.get_absolute_url(),
        subtheme.get_absolute_url(),
        catalog["practice"].get_absolute_url(),
        reverse("catalog:project_list"),
        catalog["project"].get_absolute_url(),
        reverse("catalog:keyword", kwargs={"slug": catalog["keyword"].slug}),
        reverse("catalog:open_data"),
        reverse("search:search") + "?q=ohjaus",
        reverse("reports:published_list"),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
    ]


def signed_in_urls():
    return [
        reverse("contributions:own_page"),
        reverse("accounts:profile"),
        reverse("apitokens:list"),
        reverse("evaluation:event_list"),
    ]


def html_lang(html):
    return re.search(r'<html lang="([^"]+)"', html).group(1)


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_public_page_renders_in_each_language(client, catalog, code):
    with translation.override(code):
        urls = public_urls(catalog)
    for url in urls:
        assert url.startswith(f"/{code}/"), url
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert html_lang(html) == code, url
        assert f">{NAV_PROJECTS[code]}</a>" in html, url


@pytest.mark.parametrize("code", LANGUAGES)
def test_signed_in_pages_render_in_each_language(client, contributor, code):
    client.force_login(contributor)
    with translation.override(code):
        urls = signed_in_urls()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert html_lang(response.content.decode()) == code, url


def test_the_front_page_without_a_language_goes_to_finnish_or_the_browsers_language(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/fi/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="sv-FI,sv;q=0.9,fi;q=0.5")["Location"] == "/sv/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="de")["Location"] == "/fi/"
    assert client.get("/hankkeet/")["Location"] == "/fi/hankkeet/"


def test_language_switcher_keeps_the_page_and_its_query(client, catalog):
    url = "/sv/hankkeet/?scope=national"
    html = client.get(url).content.decode()
    switcher = re.search(r'<nav class="language-switcher"[^>]*>(.*?)</nav>', html, re.S).group(1)
    links = re.findall(r'<a href="([^"]+)" lang="(\w+)" hreflang="\w+"( aria-current="true")?>([^<]+)</a>', switcher)
    assert [(href, lang, label) for href, lang, _current, label in links] == [
        ("/fi/hankkeet/?scope=national", "fi", "Suomi"),
        ("/sv/hankkeet/?scope=national", "sv", "Svenska"),
        ("/en/hankkeet/?scope=national", "en", "English"),
    ]
    assert [lang for _href, lang, current, _label in links if current] == ["sv"]
    # Following a link shows the same page in the chosen language (no JavaScript involved).
    english = client.get("/en/hankkeet/?scope=national")
    assert english.status_code == 200 and html_lang(english.content.decode()) == "en"
    assert [p.slug for p in english.context["projects"]] == ["sisu"]
    # Search engines learn the other language versions too.
    assert '<link rel="alternate" hreflang="en" href="http://127.0.0.1:8000/en/hankkeet/?scope=national">' in html


def test_language_links_reverse_the_requests_own_match_instead_of_resolving_again(client, catalog, monkeypatch):
    """translate_url resolved the address once per language: the links are made from the match the
    request already has, with the same result (the query kept); a page without a match still works."""
    from methodbank.core.templatetags import mb_i18n

    before = client.get("/sv/hankkeet/?scope=national").content.decode()
    asked = []
    monkeypatch.setattr(mb_i18n, "translate_url", lambda url, code: asked.append(url) or url)
    after = client.get("/sv/hankkeet/?scope=national").content.decode()
    assert after == before and not asked
    assert '<a href="/en/hankkeet/?scope=national" lang="en" hreflang="en">English</a>' in after
    missing = client.get("/sv/no-such-page/")
    assert missing.status_code == 404 and asked  # no match: translate_url, then the front page


def test_language_switcher_on_an_entry_page(client, catalog):
    html = client.get("/fi/menetelmat/jalkautuva/").content.decode()
    assert '<a href="/sv/menetelmat/jalkautuva/" lang="sv" hreflang="sv">Svenska</a>' in html
    assert '<a href="/en/menetelmat/jalkautuva/" lang="en" hreflang="en">English</a>' in html


@pytest.mark.parametrize(
    ("code", "published", "period"),
    [
        ("fi", "1.5.2019", "1.8.2015–30.4.2019"),
        ("sv", "1.5.2019", "1.8.2015–30.4.2019"),
        ("en", "1 May 2019", "1 Aug 2015–30 Apr 2019"),
    ],
)
def test_dates_follow_the_language(client, catalog, code, published, period):
    html = client.get(f"/{code}/menetelmat/jalkautuva/").content.decode()
    assert f'<time datetime="2019-05-01T12:00:00+03:00">{published}</time>' in html
    assert period in html  # the placement's period
    # The report's period grouping lives on the subtheme's list (the theme page previews each subtheme).
    subtheme_html = client.get(catalog["subtheme"].get_absolute_url().replace("/fi/", f"/{code}/")).content
    assert period in subtheme_html.decode()  # "Good practices, <period> (start–end)"


@pytest.mark.parametrize(("code", "expected"), [("fi", "1\xa0234"), ("sv", "1\xa0234"), ("en", "1,234")])
def test_large_counts_have_thousands_separators(client, monkeypatch, code, expected):
    from methodbank.catalog import selectors

    monkeypatch.setattr(
        selectors, "catalog_totals", lambda: {"entries": 1234, "models": 34, "good_practices": 1200, "projects": 87}
    )
    html = client.get(f"/{code}/").content.decode()
    assert f'<span class="stats__value">{expected}</span>' in html


def test_front_page_counts_are_inflected(client, catalog):
    assert '<span class="stats__value">1</span> malli' not in client.get("/fi/").content.decode()
    html = client.get("/fi/").content.decode()
    assert '<span class="stats__value">1</span> hyvä käytäntö' in html
    assert '<span class="stats__value">1</span> hanke' in html
    assert '<span class="stats__value">0</span> mallia' in html
    assert '<span class="stats__value">0</span> modeller' in client.get("/sv/").content.decode()
