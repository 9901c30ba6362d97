"""Content in the visitor's language, in a real browser: a Swedish visitor sees the Swedish theme
name, the Swedish translation of an entry and its project's Swedish name (on its page and in the
search), and the Finnish name where nothing is translated."""

import pytest
from browser_support import assert_no_serious_axe_violations, new_page
from site_data import build_small_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def build_language_site() -> dict:
    from methodbank.catalog.models import PracticeTranslation, ProjectTranslation

    data = build_small_site()
    theme = data["theme"]
    theme.name_sv = "Övergångar från den grundläggande utbildningen till andra stadiet"
    theme.save()
    entry = data["entries"][1]
    PracticeTranslation.objects.create(
        practice=entry, language="sv", title="Personlig handledning i ansökningsskedet",
        summary="Studiehandledaren stöder den sökande.",
    )
    ProjectTranslation.objects.create(project=entry.project, language="sv", name="Projekt för utvecklad handledning")
    return {**data, "translated": entry}


SITE_BUILDER = build_language_site


@pytest.fixture
def visitor(browser, site):
    page = new_page(browser)
    yield page
    page.context.close()


def test_a_swedish_visitor_sees_the_swedish_theme_name(visitor, site):
    visitor.goto(site["base_url"] + "/sv/")
    assert "Övergångar från den grundläggande utbildningen till andra stadiet" in visitor.inner_text("main")
    visitor.goto(site["base_url"] + site["theme"].get_absolute_url().replace("/fi/", "/sv/", 1))
    assert visitor.inner_text("h1").endswith("Övergångar från den grundläggande utbildningen till andra stadiet")
    # The subtheme has no Swedish name: the Finnish one is shown.
    assert "Ohjaus ja hakeutuminen" in visitor.inner_text("main")
    assert_no_serious_axe_violations(visitor, "theme page in Swedish")


def test_a_swedish_visitor_sees_the_translated_entry_and_finds_it_in_swedish(visitor, site):
    entry = site["translated"]
    visitor.goto(site["base_url"] + entry.get_absolute_url().replace("/fi/", "/sv/", 1))
    heading = visitor.locator("h1")
    assert heading.inner_text() == "Personlig handledning i ansökningsskedet"
    assert "Övergångar från den grundläggande utbildningen" in visitor.inner_text("main")  # its placement

    visitor.goto(site["base_url"] + "/sv/haku/?q=studiehandledare")
    first = visitor.locator(".search-hit__title").first
    assert first.inner_text() == "Personlig handledning i ansökningsskedet"
    assert visitor.locator(".search-hit__snippet mark").first.inner_text() == "Studiehandledaren"
    # The project's Swedish name under the hit, and in the project facet.
    assert visitor.locator(".search-hit__meta .entry__project").first.inner_text() == "Projekt för utvecklad handledning"
    assert "Ohjauksen kehittämishanke" not in visitor.inner_text("main")
    assert_no_serious_axe_violations(visitor, "search in Swedish")

    # A Finnish visitor still sees the original.
    visitor.goto(site["base_url"] + entry.get_absolute_url())
    assert visitor.locator("h1").inner_text() == "Henkilökohtainen ohjaus hakuvaiheessa"
