"""Printing: the entry, project, search and report pages on paper (print media emulated), at a
phone's width and at a desktop's. No navigation, header, footer or forms; the address of every
link after it; in-page anchors without one."""

import pytest
from browser_support import SCREENSHOT_DIR, assert_no_horizontal_scroll, new_page
from site_data import build_small_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def build_print_site() -> dict:
    from methodbank.catalog.tests.factories import PracticeLinkFactory
    from methodbank.reports.tests.factories import ReportDefinitionFactory, published_version

    data = build_small_site()
    entry = data["entries"][0]
    entry.results_and_indicators = "Keskeyttäneitä 40 % vähemmän. " * 40  # long enough to need page breaks
    entry.save()
    PracticeLinkFactory(practice=entry, url="https://example.org/opas", title="Ohjauksen opas")
    definition = ReportDefinitionFactory(subthemes=[data["subtheme"]], language="fi")
    published_version(definition)
    data["definition"] = definition
    # Changed after the version was published: "what's new since" lists it with its changed fields.
    changed = data["entries"][1]
    changed.results_and_indicators = "Hakijoista 95 % sai opiskelupaikan. https://example.org/" + "hyvin-pitka-osoite-" * 8
    changed.save()
    return data


SITE_BUILDER = build_print_site


def _pages(site):
    entry = site["entries"][0]
    return {
        "entry": f"/fi/menetelmat/{entry.slug}/",
        "project": f"/fi/hankkeet/{entry.project.slug}/",
        "search": "/fi/haku/?q=ohjaus",
        "report": f"/fi/raportit/{site['definition'].slug}/v1/",
    }


HIDDEN = [".site-header", ".site-nav", ".site-footer", ".site-search", ".breadcrumbs", ".skip-link",
          ".language-switcher", ".search-facets", ".search-form__box", ".practice__download", ".report-downloads"]

AFTER = "el => getComputedStyle(el, '::after').content"


@pytest.fixture(params=[360, 1280], ids=["phone", "desktop"])
def printed(request, browser, site):
    page = new_page(browser, width=request.param, height=800)
    page.emulate_media(media="print")
    yield page, request.param
    page.context.close()


@pytest.mark.parametrize("name", ["entry", "project", "search", "report"])
def test_printed_page_shows_content_without_navigation_and_with_link_addresses(printed, site, name):
    page, width = printed
    page.goto(site["base_url"] + _pages(site)[name])
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / f"print-{name}-{width}.png"), full_page=True)

    for selector in HIDDEN:
        for element in page.locator(selector).all():
            assert not element.is_visible(), f"{selector} is printed on the {name} page"
    assert page.locator("main h1").is_visible()
    assert page.locator(".print-source").is_visible()
    assert_no_horizontal_scroll(page, f"{name} printed at {width} px")

    # Every link in the content leads somewhere a reader of the paper can type.
    links = page.locator("main a[href]:visible").all()
    assert links, f"no links in the printed {name} page"
    for link in links:
        href = link.get_attribute("href")
        after = link.evaluate(AFTER)
        if href.startswith("#"):
            assert after in ("none", "normal"), f"an in-page anchor {href} got an address printed: {after}"
        elif link.get_attribute("class") != "chip":
            shown = link.get_attribute("data-print-url") or href
            assert shown in after, f"{href} is printed without its address ({after})"


def test_screen_media_shows_navigation_and_no_addresses(browser, site):
    page = new_page(browser)
    page.goto(site["base_url"] + _pages(site)["entry"])
    assert page.locator(".site-nav").is_visible() and not page.locator(".print-source").is_visible()
    link = page.locator("main a[href^='https://example.org/opas']")
    assert link.evaluate(AFTER) in ("none", "normal")
    page.context.close()


def test_printed_entry_keeps_headings_with_their_text_and_prints_the_external_address(printed, site):
    page, _width = printed
    page.goto(site["base_url"] + _pages(site)["entry"])
    assert "https://example.org/opas" in page.locator("main a[href^='https://example.org/opas']").evaluate(AFTER)
    heading = page.locator("main h2").first
    assert heading.evaluate("el => getComputedStyle(el).breakAfter") == "avoid"
    pdf_link = page.locator("a[href$='/pdf/']")
    assert pdf_link.count() == 1 and not pdf_link.is_visible()


def test_report_table_of_contents_prints_no_addresses(printed, site):
    page, _width = printed
    page.goto(site["base_url"] + _pages(site)["report"])
    toc = page.locator(".report-toc a[href^='#']").all()
    assert toc, "the report has a table of contents"
    assert all(a.evaluate(AFTER) in ("none", "normal") for a in toc)


def test_whats_new_page_on_a_phone_shows_the_changed_field_without_horizontal_scrolling(browser, site):
    page = new_page(browser, width=360, height=740)
    page.goto(site["base_url"] + f"/fi/raportit/{site['definition'].slug}/v1/uutta/")
    change = page.locator(".compare-change")
    assert change.count() == 1 and site["entries"][1].title in change.inner_text()
    assert "Tulokset ja mittarit" in change.locator(".compare-change__fields").inner_text()
    change.locator("summary").click()
    assert change.locator("ins").first.is_visible()
    assert_no_horizontal_scroll(page, "what's new at 360 px")
    page.screenshot(path=str(SCREENSHOT_DIR / "whats-new-360.png"), full_page=True)
    page.context.close()
