"""Listing pages stay bounded as the catalog grows: pages of a fixed size with stable addresses,
counts of the whole set, no 500 for any ?page= value, and a query count that does not grow."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from methodbank.catalog import selectors
from methodbank.catalog.models import PublicationStatus

from .factories import (
    KeywordFactory,
    ModelPracticeFactory,
    OldPeriodFactory,
    PeriodFactory,
    PlacementFactory,
    PracticeFactory,
    ProjectFactory,
    SubthemeFactory,
    ThemeFactory,
    catalog_clear,
)

pytestmark = pytest.mark.django_db

PAGE_SIZE = 3


@pytest.fixture(autouse=True)
def _small_pages(db, monkeypatch):
    catalog_clear()
    # Three entries a page, so a handful of entries make several pages.
    monkeypatch.setattr(selectors, "LIST_PAGE_SIZE", PAGE_SIZE)


@pytest.fixture
def shelf():
    theme = ThemeFactory(code="A", name="Sujuva siirtymä koulutukseen", slug="a")
    subtheme = SubthemeFactory(theme=theme, name="Ohjaus", slug="ohjaus")
    project = ProjectFactory(name="Iso hanke", slug="iso-hanke", themes=[theme])
    keyword = KeywordFactory(name="siirtymät", slug="siirtymat")
    return {"theme": theme, "subtheme": subtheme, "project": project, "keyword": keyword}


def _grow(shelf, n):
    """n more models and 2n more good practices in the shelf's subtheme, project and keyword, in
    both periods, a project of their own each, and a draft that must never show."""
    new, old = PeriodFactory(), OldPeriodFactory()
    for _ in range(n):
        model = ModelPracticeFactory(project=shelf["project"], keywords=[shelf["keyword"]])
        PlacementFactory(practice=model, subtheme=shelf["subtheme"], period=old)
        for period in (new, old):
            practice = PracticeFactory(project=shelf["project"], keywords=[shelf["keyword"], KeywordFactory()])
            PlacementFactory(practice=practice, subtheme=shelf["subtheme"], period=period)
        ProjectFactory(themes=[shelf["theme"]])
    draft = PracticeFactory(project=shelf["project"], status=PublicationStatus.DRAFT, keywords=[shelf["keyword"]])
    PlacementFactory(practice=draft, subtheme=shelf["subtheme"], period=new)


def _listing_urls(shelf):
    return {
        "subtheme": shelf["subtheme"].get_absolute_url(),
        "project": shelf["project"].get_absolute_url(),
        "keyword": reverse("catalog:keyword", args=[shelf["keyword"].slug]),
        "project index": reverse("catalog:project_list"),
    }


def _page_entries(response):
    if "groups" in response.context:
        return [p.pk for g in response.context["groups"] for p in g.entries]
    return [p.pk for p in response.context["projects"]]


@pytest.mark.parametrize("name", ["subtheme", "project", "keyword", "project index"])
def test_every_entry_is_on_exactly_one_page_and_the_counts_are_of_the_whole_list(client, shelf, name):
    _grow(shelf, 4)  # 4 models + 8 good practices (or 5 projects): several pages of 3
    url = _listing_urls(shelf)[name]
    first = client.get(url)
    page = first.context["page"]
    total = page.paginator.count
    assert total == (5 if name == "project index" else 12)
    assert page.paginator.num_pages == -(-total // PAGE_SIZE)
    seen, next_url = [], url
    while next_url:
        response = client.get(next_url)
        assert response.status_code == 200
        entries = _page_entries(response)
        assert 0 < len(entries) <= PAGE_SIZE
        seen += entries
        next_url = response.context["page"].next_url
        html = response.content.decode()
        # The whole set's count on every page, not the page's.
        if name != "project index":
            assert re.search(rf"\b{total}\b", html)
    assert len(seen) == len(set(seen)) == total


def test_later_pages_have_stable_addresses_and_rel_links(client, shelf, settings):
    _grow(shelf, 4)
    url = shelf["subtheme"].get_absolute_url()
    site = settings.SITE_URL
    first = client.get(url).content.decode()
    # Page 1 has one address (without ?page), the next page is ?page=2, linked from <head> too.
    head = first.split("</head>")[0]
    assert f'<link rel="next" href="{site}{url}?page=2">' in head and 'rel="prev"' not in head
    second = client.get(url, {"page": 2}).content.decode()
    head = second.split("</head>")[0]
    assert f'<link rel="prev" href="{site}{url}">' in head and f'<link rel="next" href="{site}{url}?page=3">' in head
    nav = re.search(r'<nav class="pagination" aria-label="([^"]+)">(.*?)</nav>', second, re.S)
    assert nav and nav.group(1) == "Listan sivut"
    assert re.search(r'<span aria-current="page"><span class="visually-hidden">Sivu </span>2</span>', nav.group(2))
    assert f'href="{url}"' in nav.group(2) and f'href="{url}?page=3"' in nav.group(2)
    assert "– sivu 2 –" in second.split("</title>")[0]
    # Period headings of the report repeat on the page where a period's list continues.
    assert "Hyvät käytännöt" in second


def test_project_index_pages_keep_the_filters(client, shelf):
    _grow(shelf, 4)
    response = client.get(reverse("catalog:project_list"), {"theme": "A", "utm": "<x>"})
    # The filter stays on every page; a parameter the list does not know is not spread.
    assert response.context["page"].next_url == f"{reverse('catalog:project_list')}?theme=A&page=2"
    assert not [url for _number, url in response.context["page"].window if "utm" in url]


@pytest.mark.parametrize(
    "value", ["0", "-1", str(10**30), "²", "٣", "abc", "1.5", "", " 2", "9" * 5000, "99", "2%00"]
)
@pytest.mark.parametrize("name", ["subtheme", "project", "keyword", "project index", "theme"])
def test_a_page_that_does_not_exist_is_404_never_500(client, shelf, name, value):
    _grow(shelf, 2)
    url = shelf["theme"].get_absolute_url() if name == "theme" else _listing_urls(shelf)[name]
    response = client.get(url, {"page": value})
    assert response.status_code == 404
    assert "<h1" in response.content.decode()


@pytest.mark.parametrize("name", ["subtheme", "project", "keyword", "project index"])
def test_page_last_is_the_last_page(client, shelf, name):
    _grow(shelf, 4)
    url = _listing_urls(shelf)[name]
    last = client.get(url, {"page": "last"})
    assert last.status_code == 200
    assert last.context["page"].number == last.context["page"].paginator.num_pages > 1


def test_an_empty_list_has_its_first_page(client, shelf):
    for url in _listing_urls(shelf).values():
        assert client.get(url).status_code == 200
    assert client.get(_listing_urls(shelf)["keyword"], {"page": 2}).status_code == 404


def _query_counts(client, urls):
    counts = {}
    for label, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[label] = len(queries)
    return counts


def test_query_count_of_every_listing_page_does_not_grow_with_the_catalog(client, shelf):
    """The same pages at two catalog sizes cost the same number of queries (and stay within a
    budget): the first and the last page of each list, the theme and front pages, entry pages."""

    def urls():
        lists = _listing_urls(shelf)
        model = shelf["project"].practices.filter(kind="model", status="published").order_by("pk").first()
        practice = shelf["project"].practices.filter(kind="good_practice", status="published").order_by("pk").first()
        return {
            "front page": reverse("core:home"),
            "theme": shelf["theme"].get_absolute_url(),
            **lists,
            **{f"{label}, last page": f"{url}?page=last" for label, url in lists.items()},
            "project index, filtered": f"{reverse('catalog:project_list')}?theme=A&scope=national",
            "entry: model": model.get_absolute_url(),
            "entry: good practice": practice.get_absolute_url(),
        }

    _grow(shelf, 3)
    SubthemeFactory(theme=shelf["theme"])  # an empty subtheme shows on the theme page too
    small = _query_counts(client, urls())
    _grow(shelf, 9)
    big = _query_counts(client, urls())
    assert big == small
    # The front page's "browse by" block (search, through catalog.extensions) is one grouped query.
    # Computing its four shared figures (the cache and the database both without them, or after a
    # change) also reads and writes each one's copy in the database (core/shared_figures.py): 8 + 8.
    budget = {"front page": 16, "theme": 12, "entry: model": 21, "entry: good practice": 21}
    for label, count in big.items():
        assert count <= budget.get(label, 13), (label, count)


def test_front_page_counts_are_computed_once_per_catalog_version(client, shelf, django_assert_num_queries):
    _grow(shelf, 2)
    first = client.get(reverse("core:home"))
    assert first.context["totals"]["entries"] == 6
    # Signed-in or not, the next view of the front page reads no counts from the database.
    with django_assert_num_queries(0):
        assert client.get(reverse("core:home")).status_code == 200
    # A publish changes the catalog: the counts are those of the new catalog at once.
    PracticeFactory(keywords=[shelf["keyword"]])
    response = client.get(reverse("core:home"))
    assert response.context["totals"]["entries"] == 7
    assert [c.count for c in response.context["cloud"] if c.keyword == shelf["keyword"]] == [7]


@pytest.mark.parametrize("name", ["subtheme", "project", "keyword", "project index"])
def test_a_later_page_sorts_only_ids_and_reads_the_rows_of_the_page(client, shelf, name):
    """The query that skips to a later page (ORDER BY … LIMIT … OFFSET) selects the id alone: a
    sort of whole rows before the OFFSET cost 1.8 s on the last page of a 90,000-entry list."""
    _grow(shelf, 4)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_listing_urls(shelf)[name], {"page": "last"})
    assert response.status_code == 200 and _page_entries(response)
    # The last page is read from the list's other end (rows_of_page), so it may need no OFFSET.
    def selected(sql):
        return re.match(r"SELECT (.*?) FROM ", sql, re.S).group(1)

    id_only = r'"\w+"\."id"( AS "pk")?'
    paged = [q["sql"] for q in queries if re.search(r"\bLIMIT\b", q["sql"]) and "ORDER BY" in q["sql"]]
    assert any(re.fullmatch(id_only, selected(sql)) for sql in paged), paged
    for sql in [q["sql"] for q in queries if re.search(r"\bOFFSET\b", q["sql"])]:
        assert re.fullmatch(id_only, selected(sql)), sql


def test_after_the_cache_lost_everything_the_front_page_reads_its_figures_from_the_database(client, shelf):
    """A deploy or a Redis restart empties the cache: the front page's whole-catalog figures are
    then read back from the database (core/shared_figures.py), one query each, not computed again
    (8 queries over the whole catalog, 218 / 263 ms at 100,000 entries on SQLite)."""
    from django.core.cache import cache

    _grow(shelf, 2)
    with CaptureQueriesContext(connection) as computed:
        first = client.get(reverse("core:home"))
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(reverse("core:home"))
    assert again.context["totals"] == first.context["totals"]
    assert [(c.keyword, c.count) for c in again.context["cloud"]] == [(c.keyword, c.count) for c in first.context["cloud"]]
    # The front page's figures and the browse values' counts: one read each.
    assert len(queries) == 2, [q["sql"] for q in queries]
    assert not any("COUNT(" in q["sql"].upper() for q in queries)
    assert len(computed) > len(queries)
    # A publish moves the catalog's generation: with the cache lost again, the page counts anew.
    PracticeFactory(keywords=[shelf["keyword"]])
    cache.clear()
    assert client.get(reverse("core:home")).context["totals"]["entries"] == first.context["totals"]["entries"] + 1
