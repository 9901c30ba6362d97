"""axe-core in a real browser on every public and every signed-in page, in Finnish, Swedish and English:
zero serious or critical WCAG 2.1 A/AA violations.

The pages come from the explicit inventory in site_data.PAGES; ``test_inventory_covers_every_url``
fails when a URL is added without being listed there (or in NOT_PAGES with a reason).
"""

from urllib.parse import urlsplit

import pytest
from browser_support import (
    LANGUAGES,
    SCREENSHOT_DIR,
    assert_focus_visible,
    assert_no_horizontal_scroll,
    assert_no_serious_axe_violations,
    new_context,
)
from django.apps import apps
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from site_data import NOT_PAGE_NAMESPACES, NOT_PAGES, PAGES, build_site, event_and_model

SITE_BUILDER = build_site
# Plain django_db (not transactional): the data is committed once per module by ``shared_site``.
pytestmark = pytest.mark.django_db

CASES = [
    pytest.param(page, language, id=f"{page.id}-{language}")
    for page in PAGES
    for language in (LANGUAGES if page.i18n else ("-",))
]


def page_url(site, page, language):
    if not apps.is_installed(page.app):
        pytest.skip(f"{page.app} is not installed")
    try:
        with translation.override(None if language == "-" else language):
            path = reverse(page.name, kwargs=page.kwargs(site))
    except NoReverseMatch as error:
        pytest.fail(f"the page {page.name} does not exist: {error}")
    return site["base_url"] + path + (f"?{page.query}" if page.query else "")


@pytest.fixture(scope="module")
def tabs(browser, shared_site):
    """One browser tab per role for the whole module, reused from page to page (a new context or tab
    per visit costs more than the visit). Closed before the server stops."""
    opened = {}
    yield opened
    for tab in opened.values():
        tab.context.close()


def tab_for(browser, tabs, site, role):
    if role not in tabs:
        tabs[role] = new_context(browser, cookies=[site["cookies"][role]] if role else ()).new_page()
    return tabs[role]


@pytest.mark.browser
@pytest.mark.parametrize(("page", "language"), CASES)
def test_page_has_no_serious_accessibility_violations(browser, tabs, site, page, language):
    url = page_url(site, page, language)
    tab = tab_for(browser, tabs, site, page.role)
    response = tab.goto(url)
    assert response is not None and response.status == page.status, (
        f"{url} answered {response and response.status}, expected {page.status}"
    )
    # A signed-in page that sends the browser to the log-in form would test the wrong page.
    if not page.redirects:
        assert urlsplit(tab.url).path == urlsplit(url).path, f"{url} redirected to {tab.url}"
    if page.i18n:
        lang = tab.locator("html").get_attribute("lang")
        assert lang == language, f"{tab.url} is in {lang!r}, not {language!r}"
        assert tab.locator("h1").count() == 1, "a page has exactly one h1"
    assert_no_serious_axe_violations(tab, f"{page.id} in {language}: {url}", ignore=page.known_violations)


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else (
                pattern.namespace or namespace)
            yield from _url_names(pattern.url_patterns, inner or "")
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_inventory_covers_every_url():
    """Every named URL is either visited by the accessibility test or listed as not being a page."""
    listed = {page.name for page in PAGES} | set(NOT_PAGES)
    missing = sorted(
        name for name in set(_url_names(get_resolver().url_patterns))
        if name not in listed and name.split(":")[0] not in NOT_PAGE_NAMESPACES
    )
    assert not missing, f"pages missing from e2e/site_data.PAGES (or NOT_PAGES): {missing}"


# --- Layout: 1280 px, 360 px (a phone) and 200 % zoom (1280 px at zoom 2 = 640 CSS px) -------------

KEY_PAGES = {
    "front": ("core:home", None, lambda d: {}, ""),
    "theme": ("catalog:theme", None, lambda d: {"slug": d["theme"].slug}, ""),
    "entry": ("catalog:practice", None, lambda d: {"slug": d["entry"].slug}, ""),
    # A model with adoption records: the map of the regions beside its table.
    "model": ("catalog:practice", None, lambda d: {"slug": d["model"].slug}, ""),
    "project": ("catalog:project", None, lambda d: {"slug": d["seed_project"].slug}, ""),
    "subtheme": ("catalog:subtheme", None, lambda d: {"theme": d["subtheme"].theme.slug, "slug": d["subtheme"].slug}, ""),
    "keyword-page-2": ("catalog:keyword", None, lambda d: {"slug": d["keyword"].slug}, "page=2"),
    "projects-page-2": ("catalog:project_list", None, lambda d: {}, "page=2"),
    "search-results": ("search:search", None, lambda d: {}, "q=ohjaus"),
    "browse-value": ("search:browse_facet", None, lambda d: {"identifier": d["facet_value"].identifier}, ""),
    "browse-index": ("search:browse", None, lambda d: {}, ""),
    "own-page": ("contributions:own_page", "contributor", lambda d: {}, ""),
    "entry-usage": ("usage:practice", "contributor", lambda d: {"pk": d["draft"].pk}, ""),
    "add-form": ("contributions:practice_create", "contributor", lambda d: {}, "kind=good_practice"),
}
WIDTHS = {"1280px": (1280, 1), "360px": (360, 1), "zoom200": (640, 2)}


@pytest.fixture(scope="module")
def layout_contexts(browser, shared_site):
    opened = {}
    yield opened
    for context in opened.values():
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width_name", list(WIDTHS))
@pytest.mark.parametrize("key", list(KEY_PAGES))
def test_key_page_reflows_without_horizontal_scrolling(browser, layout_contexts, site, key, width_name):
    """WCAG 1.4.10 and 1.4.4: no horizontal scrolling on a 360 px screen or at 200 % zoom. The
    screenshots are kept under artifacts/screenshots/ for people to look at."""
    name, role, kwargs, query = KEY_PAGES[key]
    width, scale = WIDTHS[width_name]
    if (role, width_name) not in layout_contexts:
        layout_contexts[(role, width_name)] = new_context(
            browser, width=width, height=800, device_scale_factor=scale,
            cookies=[site["cookies"][role]] if role else (),
        )
    with translation.override("fi"):
        url = site["base_url"] + reverse(name, kwargs=kwargs(site)) + (f"?{query}" if query else "")
    tab = layout_contexts[(role, width_name)].new_page()
    try:
        response = tab.goto(url)
        assert response.status == 200 and urlsplit(tab.url).path == urlsplit(url).path
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(SCREENSHOT_DIR / f"{key}-{width_name}.png"), full_page=True)
        if width < 1280:
            assert_no_horizontal_scroll(tab, f"{key} at {width_name}")
        # Everything in the main content can still be reached: nothing is pushed off the right edge.
        overflowing = tab.evaluate(
            """() => [...document.querySelectorAll('main *')].filter(el => {
                 const r = el.getBoundingClientRect();
                 return r.width > 0 && r.right > document.documentElement.clientWidth + 1
                   && !el.closest('.table-wrap');
               }).slice(0, 5).map(el => el.tagName + '.' + el.className)"""
        )
        assert not overflowing, f"{key} at {width_name}: content beyond the right edge: {overflowing}"
    finally:
        tab.close()


# --- Visible focus on every stop of the Tab key ----------------------------------------------------

FOCUS_PAGES = {
    "front": ("core:home", None, lambda d: {}),
    "project-list": ("catalog:project_list", None, lambda d: {}),
    "entry": ("catalog:practice", None, lambda d: {"slug": d["entry"].slug}),
    "login": ("account_login", None, lambda d: {}),
    "add-form": ("contributions:practice_create", "contributor", lambda d: {}),
    "peer-assessment": ("evaluation:peer_assessment", "contributor", event_and_model),
    "moderation": ("contributions:moderation_practice", "coordinator", lambda d: {"pk": d["submitted"].pk}),
}
MAX_STOPS = 80


@pytest.mark.browser
@pytest.mark.parametrize("key", list(FOCUS_PAGES))
def test_focus_is_visible_at_every_tab_stop(browser, tabs, site, key):
    """WCAG 2.4.7: press Tab through the page (up to MAX_STOPS stops); every focused element shows it."""
    name, role, kwargs = FOCUS_PAGES[key]
    with translation.override("fi"):
        url = site["base_url"] + reverse(name, kwargs=kwargs(site))
    tab = tab_for(browser, tabs, site, role)
    assert tab.goto(url).status == 200
    for _ in range(MAX_STOPS):
        tab.keyboard.press("Tab")
        if tab.evaluate("() => document.activeElement === document.body"):
            break
        assert_focus_visible(tab)


CHART_PAGES = {
    "evaluation:results": ("coordinator", event_and_model),
    "evaluation:feedback": ("coordinator", event_and_model),
    "usage:practice": ("contributor", lambda d: {"pk": d["draft"].pk}),
    "contributions:own_page": ("contributor", lambda d: {}),
}


@pytest.mark.browser
@pytest.mark.parametrize("name", list(CHART_PAGES))
def test_result_charts_have_accessible_names_and_table_alternatives(browser, tabs, site, name):
    """Every server-drawn chart is an image named by axe's own rule (svg-img-alt) and comes with a
    table of the same figures, captioned with the chart's name."""
    from browser_support import AXE_JS

    role, kwargs = CHART_PAGES[name]
    with translation.override("en"):
        url = site["base_url"] + reverse(name, kwargs=kwargs(site))
    tab = tab_for(browser, tabs, site, role)
    tab.goto(url)
    charts = tab.locator("figure.chart")
    assert charts.count() > 0, f"no charts on {url}"
    if not tab.evaluate("typeof window.axe !== 'undefined'"):
        tab.add_script_tag(path=str(AXE_JS))
    result = tab.evaluate(
        "() => axe.run(document, {runOnly: {type: 'rule', values: ['svg-img-alt', 'role-img-alt', "
        "'th-has-data-cells', 'td-headers-attr', 'table-duplicate-name']}})"
    )
    assert result["violations"] == []
    named = {p["id"]: len(p["nodes"]) for p in result["passes"]}
    assert named.get("svg-img-alt", 0) == charts.count()
    for i in range(charts.count()):
        figure = charts.nth(i)
        title = figure.locator("svg > title").text_content()
        assert title and figure.locator("svg").get_attribute("role") == "img"
        assert figure.locator("table caption").text_content() == title
        assert figure.locator("table tbody tr").count() >= 2


@pytest.mark.browser
def test_adoption_map_is_named_and_has_a_table_alternative(browser, tabs, site):
    """The map of the regions is one image named by its title and description (axe's svg-img-alt),
    its counts are printed on it as text, and a table gives every region's figure."""
    from browser_support import AXE_JS

    with translation.override("en"):
        url = site["base_url"] + reverse("catalog:practice", kwargs={"slug": site["model"].slug})
    tab = tab_for(browser, tabs, site, None)
    tab.goto(url)
    svg = tab.locator("svg.adoption-map__svg")
    assert svg.get_attribute("role") == "img"
    if not tab.evaluate("typeof window.axe !== 'undefined'"):
        tab.add_script_tag(path=str(AXE_JS))
    result = tab.evaluate(
        "() => axe.run('.adoptions', {runOnly: {type: 'rule', values: ['svg-img-alt', 'role-img-alt', "
        "'th-has-data-cells', 'td-headers-attr', 'table-duplicate-name', 'color-contrast']}})"
    )
    assert result["violations"] == []
    assert {p["id"]: len(p["nodes"]) for p in result["passes"]}.get("svg-img-alt") == 1
    assert "2 regions" in tab.locator("#adoption-map-desc").text_content()
    # Not colour alone: the counts are on the map as text, and in the table.
    assert sorted(svg.locator("text").all_text_contents()) == ["1", "1"]
    table = tab.locator("table.adoption-table")
    assert table.locator("caption").text_content() == "Adopting organisations by region"
    rows = dict(zip(table.locator("tbody th").all_text_contents(), table.locator("tbody td").all_text_contents(),
                    strict=True))
    assert len(rows) == 19 and rows["Uusimaa"] == "1" and rows["North Ostrobothnia"] == "1" and rows["Lapland"] == "0"
    assert tab.locator("[data-adoption-count]").get_attribute("data-adoption-count") == "2"
