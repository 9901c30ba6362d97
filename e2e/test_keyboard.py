"""Keyboard-only walkthroughs: the search and the submission form, without a mouse, with the focus
visible at every step."""

import re

import pytest
from browser_support import assert_focus_visible, new_page
from playwright.sync_api import expect
from site_data import build_small_site

SITE_BUILDER = build_small_site
pytestmark = [pytest.mark.browser, pytest.mark.django_db]
MAX_TABS = 120


def tab_until(page, selector):
    """Press Tab until the focused element matches ``selector``; the focus must be visible at every stop."""
    assert page.locator(selector).count(), f"{selector} is not on {page.url}"
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement === document.body"):
            break  # went past the last focusable element
        assert_focus_visible(page)
        if focused(page, selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key on {page.url}")


def focused(page, selector):
    return page.evaluate("s => document.activeElement !== null && document.activeElement.matches(s)", selector)


@pytest.fixture
def tab(browser, site):
    page = new_page(browser, cookies=[site["cookies"]["contributor"]] if site.get("signed_in") else ())
    yield page
    page.context.close()


def test_skip_link_is_first_and_moves_focus_to_main(tab, site):
    tab.goto(site["base_url"] + "/fi/")
    tab.keyboard.press("Tab")
    assert focused(tab, "a.skip-link"), "the skip link is the first thing the Tab key reaches"
    assert_focus_visible(tab)
    box = tab.locator("a.skip-link").bounding_box()
    assert box is not None and box["y"] >= 0 and box["height"] > 0, "the focused skip link is shown on screen"
    tab.keyboard.press("Enter")
    assert focused(tab, "main#main"), "the skip link moves the focus to the main content"
    # The next Tab continues from the main content, not from the top of the page.
    tab.keyboard.press("Tab")
    assert tab.evaluate("() => document.querySelector('main').contains(document.activeElement)")
    assert_focus_visible(tab)


def test_search_with_the_keyboard_alone(tab, site):
    tab.goto(site["base_url"] + "/fi/")
    tab_until(tab, "#site-search-q")
    tab.keyboard.type("ohjaus")
    tab.keyboard.press("Enter")
    tab.wait_for_url(re.compile(r"/fi/haku/\?q=ohjaus"))
    expect(tab.locator(".search-hit")).not_to_have_count(0)

    # From the results page's own search field, the Tab key reaches the first result.
    tab_until(tab, ".search-hit__title a")
    href = tab.evaluate("() => document.activeElement.getAttribute('href')")
    title = tab.evaluate("() => document.activeElement.innerText.trim()")
    # The link goes through the result redirect (it logs the rank opened) to the entry itself.
    assert re.search(r"/fi/haku/tulos/\d+/\?q=ohjaus&r=1$", href)
    tab.keyboard.press("Enter")
    tab.wait_for_url(lambda url: "/haku/" not in url)
    assert tab.locator("h1").inner_text().strip() == title

    # On the search page, the search field of the page itself (live search with HTMX) works too.
    tab.goto(site["base_url"] + "/fi/haku/")
    tab_until(tab, "#search-q")
    tab.keyboard.type("kesäkoulu")
    tab.keyboard.press("Enter")
    expect(tab.locator(".search-hit__title a")).to_have_text(["Kesäkoulu"])
    # The live search's last requests finish first: the test server shares one in-memory SQLite
    # connection between its threads, which a real server never does.
    tab.wait_for_load_state("networkidle")
    tab_until(tab, ".search-hit__title a")
    tab.keyboard.press("Enter")
    tab.wait_for_url(re.compile(r"/fi/menetelmat/"))
    assert tab.locator("h1").inner_text().strip() == "Kesäkoulu"


def test_add_a_good_practice_with_the_keyboard_alone(browser, site):
    page = new_page(browser, cookies=[site["cookies"]["contributor"]])
    try:
        page.goto(site["base_url"] + "/en/oma-sivu/")
        tab_until(page, "a[href$='/oma-sivu/menetelmat/uusi/?kind=good_practice']")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/en/oma-sivu/menetelmat/uusi/"))

        # The kind is a radio group: the arrow keys choose, and "good practice" is preselected by the link.
        tab_until(page, "input[name='kind']")
        assert page.locator("input[name='kind']:checked").get_attribute("value") == "good_practice"
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowDown")
        assert page.locator("input[name='kind']:checked").get_attribute("value") == "good_practice"

        tab_until(page, "#id_title")
        page.keyboard.type("Vertaismentorointi")
        tab_until(page, "#id_summary")
        page.keyboard.type("Toisen vuoden opiskelijat tukevat uusia opiskelijoita.")
        tab_until(page, "#id_goal_and_target_group")
        page.keyboard.type("Ensimmäisen vuoden opiskelijat.")
        tab_until(page, "#id_content_and_actions")
        page.keyboard.type("Viikoittaiset tapaamiset.")

        # A select is operated with the arrow keys: choose the theme of the first placement.
        tab_until(page, "#id_placements-0-theme")
        page.keyboard.press("ArrowDown")
        assert page.locator("#id_placements-0-theme").input_value() == str(site["theme"].pk)

        tab_until(page, "button[value='save']")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/en/oma-sivu/menetelmat/\d+/$"))
        expect(page.locator("h1")).to_contain_text("Vertaismentorointi")
        expect(page.locator(".messages")).not_to_be_empty()
    finally:
        page.context.close()


def test_form_errors_are_reached_with_the_keyboard(browser, site):
    """Saving without a name: the error is shown at the field, tied to it, and the focus can reach it."""
    page = new_page(browser, cookies=[site["cookies"]["contributor"]])
    try:
        page.goto(site["base_url"] + "/en/oma-sivu/menetelmat/uusi/?kind=good_practice")
        tab_until(page, "button[value='save']")
        page.keyboard.press("Enter")
        expect(page.locator("#id_title_errors")).not_to_be_empty()
        assert "id_title_errors" in (page.locator("#id_title").get_attribute("aria-describedby") or "")
        tab_until(page, "#id_title")
    finally:
        page.context.close()
