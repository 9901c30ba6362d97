"""The search page: ranked, highlighted results; facets in the URL; HTMX partial; suggestions."""

import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from methodbank.catalog.models import PracticeKind
from methodbank.catalog.tests.factories import (
    KeywordFactory,
    OldPeriodFactory,
    PlacementFactory,
    PracticeFactory,
    ProjectFactory,
    SubthemeFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    theme_a, theme_c = ThemeFactory(code="A"), ThemeFactory(code="C")
    sub_a, sub_c = (
        SubthemeFactory(theme=theme_a, name="Hakeutuminen"),
        SubthemeFactory(theme=theme_c, name="Tuki"),
    )
    project = ProjectFactory(name="Opin portailla")
    keyword = KeywordFactory(name="maahanmuuttajat")
    model = PracticeFactory(
        kind=PracticeKind.MODEL,
        title="Maahanmuuttajien mentorointi",
        summary="Mentorit tukevat maahanmuuttajataustaisia opiskelijoita <script>alert(1)</script> opinnoissa.",
        project=project,
        keywords=[keyword],
    )
    practice = PracticeFactory(
        title="Tukipaja maahanmuuttajille",
        summary="Tukipajassa maahanmuuttajat saavat apua.",
        project=project,
    )
    other = PracticeFactory(title="Uraohjauksen malli", summary="Uraohjausta kaikille.")
    PlacementFactory(practice=model, subtheme=sub_a)
    PlacementFactory(practice=practice, subtheme=sub_c, period=OldPeriodFactory())
    PlacementFactory(practice=other, subtheme=sub_c)
    return {"model": model, "practice": practice, "other": other, "theme_a": theme_a, "theme_c": theme_c}


def url(**params):
    """The English page: the assertions read the English source strings."""
    from urllib.parse import urlencode

    with translation.override("en"):
        return reverse("search:search") + "?" + urlencode(params, doseq=True)


def test_results_are_ranked_and_highlighted_safely(client, catalog):
    response = client.get(url(q="maahanmuuttajille"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert 'role="status"' in html and "2 results" in html
    assert "<mark>Maahanmuuttajien</mark>" in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "Uraohjauksen malli" not in html


def test_facets_have_counts_combine_and_stay_in_the_url(client, catalog):
    html = client.get(url(q="maahanmuuttajat")).content.decode()
    assert 'name="kind" value="model"' in html
    assert 'name="theme" value="' in html
    assert "(1)" in html
    html = client.get(url(q="maahanmuuttajat", kind="model")).content.decode()
    assert "mentorointi" in html
    assert "Tukipaja" not in html
    # The selected filter is shown with a link that removes it and keeps the query.
    assert 'href="?q=maahanmuuttajat"' in html
    html = client.get(url(q="maahanmuuttajat", kind="model", theme=catalog["theme_a"].slug)).content.decode()
    assert "mentorointi" in html
    html = client.get(url(q="maahanmuuttajat", keyword="maahanmuuttajat")).content.decode()
    assert "mentorointi" in html and "Tukipaja" not in html


def test_empty_filter_result_suggests_removing_filters(client, catalog):
    html = client.get(url(q="uraohjaus", kind="model")).content.decode()
    assert "No entries match the selected filters" in html
    assert "matches without them" in html
    assert 'href="?q=uraohjaus"' in html


def test_did_you_mean_for_a_typo(client, catalog):
    html = client.get(url(q="uraohjasu")).content.decode()
    assert "Did you mean" in html
    assert "uraohjaus" in html


def test_a_typo_finds_the_entry_and_the_page_says_what_it_meant(client, catalog):
    html = client.get(url(q="mentroointi")).content.decode()
    assert "Maahanmuuttajien <mark>mentorointi</mark>" in html
    assert "Did you mean" in html and "?q=mentorointi" in html


def test_no_results_always_offer_another_search(client, catalog):
    """A word near nothing in the catalog: the words that match something, or the closest terms."""
    html = client.get(url(q="tukipaja xqzwvv")).content.decode()
    assert "<mark>Tukipaja</mark> maahanmuuttajille" in html  # the known word still finds its entry
    assert "Other searches:" in html and "?q=tukipaja" in html
    # Under half of the word is a beginning any index term has ("maahanxqzwvv" would be read
    # as maahanmuuttaja, expansion._shared_beginning): no results, and the terms beginning so.
    html = client.get(url(q="tukixqzwvv")).content.decode()
    assert "No results" in html
    assert "Other searches:" in html and "?q=tukipaja" in html


def test_a_word_near_nothing_offers_the_closest_concepts(client, catalog):
    """No index term begins like "lärlingsutbildning", but the vocabulary's Swedish label
    läroavtalsutbildning is spelt near it: the page offers the concept's label in the page's
    language, when that search finds something."""
    PracticeFactory(title="Oppisopimus nuorille", summary="Oppisopimuskoulutus työpaikalla.")
    html = client.get(url(q="lärlingsutbildning")).content.decode()
    assert "No results" in html
    assert "Other searches:" in html
    offered = re.findall(r'href="[^"]*\?q=([^"&]+)"', html.split("Other searches:")[1].split("</p>")[0])
    assert "apprenticeship" in offered  # the English page: the concept's English label
    offered_page = client.get(url(q="apprenticeship")).content.decode()
    assert "Oppisopimus nuorille" in re.sub(r"</?mark>", "", offered_page)


def test_gibberish_still_offers_the_largest_topics(client, catalog):
    """Nothing is spelt near "xqzzyv": the empty page offers the catalog's most used keywords
    rather than a dead end, in the page, the API and the command."""
    html = client.get(url(q="xqzzyv")).content.decode()
    assert "No results" in html
    assert "Other searches:" in html and "?q=maahanmuuttajat" in html
    api = client.get("/api/v1/entries", {"q": "xqzzyv"}).json()
    assert api["count"] == 0 and "maahanmuuttajat" in api["other_searches"]


def test_no_results_offer_a_phrases_words_apart_and_a_prefixs_closest_terms(client, catalog):
    """A phrase whose words never stand so: its words apart; a prefix no word begins with: the
    index terms sharing its beginning. The page, the API and the command offer the same."""
    from django.core.management import call_command

    html = client.get(url(q='"maahanmuuttajille tukipaja"')).content.decode()
    assert "No results" in html and "Other searches:" in html
    assert "?q=maahanmuuttajille+tukipaja" in html
    html = client.get(url(q="maahanx*")).content.decode()
    assert "Other searches:" in html and "?q=maahanmuuttaja" in html
    api = client.get("/api/v1/entries", {"q": "maahanx*"}).json()
    assert api["count"] == 0 and "maahanmuuttaja" in api["other_searches"]
    out = io.StringIO()
    call_command("search", "--json", "maahanx*", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed["results"] == [] and printed["other_searches"] == api["other_searches"]


def test_htmx_request_gets_only_the_live_region_and_the_count(client, catalog):
    response = client.get(url(q="maahanmuuttajille"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="search-live"' in html
    assert 'hx-swap-oob="innerHTML"' in html and 'id="search-status"' in html


def test_page_works_without_javascript(client, catalog):
    html = client.get(url()).content.decode()
    assert 'method="get"' in html and 'type="submit"' in html
    assert '<label for="search-q">' in html
    assert "3 entries in the method bank" in html


def test_pagination_keeps_query_and_filters(client, db):
    for number in range(25):
        PracticeFactory(title=f"Kalastusmalli {number}", summary="Kalastus ja ohjaus.")
    first = client.get(url(q="kalastus")).content.decode()
    assert "25 results" in first
    assert first.count('class="search-hit"') == 20
    assert "?q=kalastus&amp;page=2" in first
    second = client.get(url(q="kalastus", page=2)).content.decode()
    assert second.count('class="search-hit"') == 5


def test_partial_matches_are_announced(client, catalog):
    html = client.get(url(q="tukipaja maahanmuuttajille kuukivi")).content.decode()
    assert "matching only some of the words" in html
    assert "<mark>Tukipaja</mark> <mark>maahanmuuttajille</mark>" in html


def test_result_page_costs_the_same_number_of_queries_for_more_results(client, db):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from methodbank.search.services import search_log_record
    from methodbank.search.thesaurus import get_thesaurus

    def count_queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(q="purjehdus")).status_code == 200
        return len(captured)

    for number in range(3):
        PracticeFactory(title=f"Purjehdusmalli {number}", summary="Purjehdus.")
    get_thesaurus()  # loaded once per process, by whichever search comes first
    search_log_record(query="purjehdus", language="fi", results=0)  # purges old log rows: hourly, not per page
    few = count_queries()
    for number in range(3, 20):
        PracticeFactory(title=f"Purjehdusmalli {number}", summary="Purjehdus.")
    assert count_queries() == few


def test_evaluation_status_is_a_facet_of_models(client, catalog):
    import datetime

    from methodbank.evaluation.models import ExpertRecommendation, Outcome
    from methodbank.evaluation.tests.factories import EvaluationEventFactory

    model = catalog["model"]
    event = EvaluationEventFactory(models_on_agenda=[model])
    ExpertRecommendation.objects.create(
        event=event,
        practice=model,
        outcome=Outcome.RECOMMENDED,
        rationale="Valmis levitettäväksi.",
        decided_on=datetime.date(2026, 11, 30),
        evaluated_lock_version=model.lock_version,
        evaluated_updated_at=model.updated_at,
    )
    html = client.get(url(q="maahanmuuttajille")).content.decode()
    assert "Evaluation status" in html and "recommended for national dissemination" in html

    html = client.get(url(q="maahanmuuttajille", evaluation=Outcome.RECOMMENDED.value)).content.decode()
    assert "Maahanmuuttajien" in html and "Tukipaja maahanmuuttajille" not in html
    assert "1 result" in html


def test_filtered_browsing_counts_the_filtered_entries_not_the_bank(client, catalog):
    # Browsing (no words) with a filter: the count is what the filter lets through.
    html = client.get(url(kind="model")).content.decode()
    status = re.search(r'<p id="search-status"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert status.strip() == "1 entry matches the selected filters"


def test_filtered_browsing_with_no_entries_offers_removing_each_filter(client, catalog):
    html = client.get(url(kind="model", theme=catalog["theme_c"].slug)).content.decode()
    status = re.search(r'<p id="search-status"[^>]*>(.*?)</p>', html, re.S).group(1)
    assert status.strip() == "No entries match the selected filters"
    # One link per filter that removes only that filter, and one that removes them all.
    assert f'href="?theme={catalog["theme_c"].slug}"' in html
    assert 'href="?kind=model"' in html
    assert "Remove the filter" in html and "Search without filters" in html
    with translation.override("fi"):
        finnish = client.get(reverse("search:search") + f"?kind=model&theme={catalog['theme_c'].slug}").content.decode()
    finnish_status = re.search(r'<p id="search-status"[^>]*>(.*?)</p>', finnish, re.S).group(1)
    assert finnish_status.strip() == "Valittuja rajauksia vastaavia menetelmiä ei ole"


def test_a_long_facet_shows_its_largest_values_and_every_selected_one(client, monkeypatch):
    """A grown catalog has thousands of projects: the facet lists a bounded number of them (those
    with the most entries), says how many there are, and never drops a value the visitor chose."""
    from methodbank.search import facets

    monkeypatch.setattr(facets, "FACET_MAX", 3)
    monkeypatch.setattr("methodbank.search.views.FACET_VISIBLE", 2)
    projects = [ProjectFactory(name=f"Hanke {n}", slug=f"hanke-{n}") for n in range(6)]
    for n, project in enumerate(projects):
        for i in range(n + 1):  # Hanke 5 has the most entries, Hanke 0 the fewest
            PracticeFactory(title=f"Ohjauksen malli {n}-{i}", summary="Ohjausta.", project=project)
    html = client.get(url(q="ohjaus")).content.decode()
    shown = re.findall(r'name="project" value="(hanke-\d)"', html)
    assert shown == ["hanke-5", "hanke-4", "hanke-3"]
    assert "Show the 3 largest of 6" in html
    html = client.get(url(q="ohjaus", project="hanke-0")).content.decode()
    shown = re.findall(r'name="project" value="(hanke-\d)"', html)
    assert len(shown) == 3 and "hanke-0" in shown and "hanke-5" in shown
    assert re.search(r'value="hanke-0" checked', html)


def test_result_pages_link_the_first_the_last_and_those_around_this_one(client, db, monkeypatch):
    """Not every page number: at 100,000 entries (5,000 pages) the loop over all of them left
    100 KB in the page."""
    monkeypatch.setattr("methodbank.search.views.PAGE_SIZE", 1)
    for number in range(12):
        PracticeFactory(title=f"Kalastusmalli {number}", summary="Kalastus ja ohjaus.")
    html = client.get(url(q="kalastus", page=6)).content.decode()
    nav = re.search(r'<nav class="pagination".*?</nav>', html, re.S).group(0)
    linked = [int(n) for n in re.findall(r"page=(\d+)\"", nav)]
    assert sorted(set(linked)) == [1, 4, 5, 7, 8, 12]
    assert '<span aria-current="page">6</span>' in nav
    assert nav.count("…") == 2
    assert len(nav) < 3000


def test_browsing_without_words_pages_from_the_database_and_keeps_facets_until_a_publish(
    client, db, django_assert_max_num_queries
):
    for number in range(25):
        PracticeFactory(title=f"Kalastusmalli {number:02}", summary="Kalastus.")
    first = client.get(url(page=2))
    assert first.context["results"].count == 25
    titles = [hit.practice.title for hit in first.context["hits"]]
    assert titles == [f"Kalastusmalli {n}" for n in range(20, 25)]
    kinds = {f.param: {v.value: v.count for v in f.values} for f in first.context["results"].facets}
    assert sum(kinds["kind"].values()) == 25
    # The whole catalog's facet counts are not counted again for the next visitor...
    with django_assert_max_num_queries(len(first.context["results"].facets) + 4):
        client.get(url())
    # ...until the catalog changes.
    PracticeFactory(title="Uusi malli")
    response = client.get(url())
    assert response.context["results"].count == 26
    assert sum(v.count for f in response.context["results"].facets if f.param == "kind" for v in f.values) == 26


def test_after_the_cache_lost_everything_the_search_page_reads_its_facets_from_the_database(client, db):
    """A deploy or a Redis restart empties the cache: the whole catalog's facet counts (16 queries,
    1.6 / 1.9 s at 100,000 entries on SQLite) are read back from the database in one query, exact
    while the catalog has not changed (core/shared_figures.py)."""
    from django.core.cache import cache

    for number in range(4):
        PracticeFactory(title=f"Kalastusmalli {number}")
    with CaptureQueriesContext(connection) as computed:
        first = client.get(url())
    with CaptureQueriesContext(connection) as warm:
        client.get(url())
    cache.clear()
    with CaptureQueriesContext(connection) as lost:
        again = client.get(url())
    facets = lambda response: {f.param: {v.value: v.count for v in f.values} for f in response.context["results"].facets}  # noqa: E731
    assert facets(again) == facets(first)
    # The page's own query, one read each of the facets and of the count, and the page's entries
    # read again (this process's store of the entries it has shown is retired with the cache): no
    # count, none per facet.
    assert not any("COUNT(" in q["sql"].upper() for q in lost), "\n".join(q["sql"][:150] for q in lost)
    assert len(lost) <= len(warm) + 5, "\n".join(q["sql"][:150] for q in lost)
    assert len(computed) - len(lost) >= len(first.context["results"].facets) - 1


def test_browsing_a_selection_keeps_its_facet_counts_until_a_publish(client, db, django_assert_max_num_queries):
    """A facet link (a kind, a theme) lists a quarter of the catalog: its facets, counted over those
    entries (1.4 s at 100,000), are kept for that selection like the unfiltered ones."""
    for number in range(6):
        PracticeFactory(title=f"Kalastusmalli {number}", kind=PracticeKind.MODEL if number % 2 else PracticeKind.GOOD_PRACTICE)
    first = client.get(url(kind="model"))
    kinds = {f.param: {v.value: v.count for v in f.values} for f in first.context["results"].facets}
    assert first.context["results"].count == 3
    assert kinds["kind"] == {"good_practice": 3, "model": 3}  # a facet's own counts ignore its selection
    # Not counted again for the next visitor of the selection: only the page's own queries (the
    # list, its length), not one per facet.
    from methodbank.search.facets import all_facets

    with django_assert_max_num_queries(len(all_facets()) - 1):
        again = client.get(url(kind="model"))
    assert [v.selected for f in again.context["results"].facets if f.param == "kind" for v in f.values] == [
        v.selected for f in first.context["results"].facets if f.param == "kind" for v in f.values
    ]
    # Another selection has its own counts, and a publish retires them.
    assert client.get(url(kind="good_practice")).context["results"].count == 3
    PracticeFactory(title="Uusi malli", kind=PracticeKind.MODEL)
    response = client.get(url(kind="model"))
    assert response.context["results"].count == 4
    assert {v.value: v.count for f in response.context["results"].facets if f.param == "kind" for v in f.values} == {
        "good_practice": 3, "model": 4,
    }


def test_a_search_reads_the_cache_in_few_round_trips(client, catalog, monkeypatch):
    """The versions, the statistics and the store token a search reads one at a time are read ahead
    in two round trips (get_many), and the search log's purge check finds its answer there: each
    round trip to Redis was a wait of its own under load. The page is the same either way."""
    from django.core.cache import cache

    first = client.get(url(q="maahanmuuttajat"))  # fills the cache: versions, statistics, token
    trips, inside = [], []

    def counted(name, original):
        def call(*args, **kwargs):
            if not inside:  # the local cache's get_many calls its get: one trip
                trips.append((name, args[0]))
            inside.append(name)
            try:
                return original(*args, **kwargs)
            finally:
                inside.pop()

        return call

    for name in ("get", "get_many", "add", "set", "get_or_set", "set_many"):
        monkeypatch.setattr(cache, name, counted(name, getattr(cache, name)))
    again = client.get(url(q="maahanmuuttajat"))
    monkeypatch.undo()
    assert again.content == first.content
    assert [name for name, _key in trips] == ["get_many", "get_many"], trips


def test_a_large_selection_pages_by_title_from_the_index_and_keeps_its_count(client, db):
    """A theme's search page (a quarter of the catalog) read its page of entries by gathering the
    theme's entries and sorting them, and counted them, on every view (SQLite 64 / 129 ms at
    100,000 entries, 44 / 72 of them in SQL). With no facet index kept yet, the page is read from
    the title index, each entry checked by EXISTS; once the index is built (after that first
    response), any selection's list and count come from it, with no query for either."""
    large, small = SubthemeFactory(theme=ThemeFactory(code="A")), SubthemeFactory(theme=ThemeFactory(code="C"))
    other = ThemeFactory(code="D")
    for number in range(48):
        practice = PracticeFactory(title=f"Kalastusmalli {number:02}")
        if number % 2:
            PlacementFactory(practice=practice, subtheme=large)
        else:
            PlacementFactory(practice=practice, subtheme=None, theme=other)
    PlacementFactory(practice=PracticeFactory(title="Ainoa"), subtheme=small)
    with CaptureQueriesContext(connection) as queries:
        first = client.get(url(theme=large.theme.slug))
    assert first.context["results"].count == 24
    assert [hit.practice.title for hit in first.context["hits"]][:3] == [
        "Kalastusmalli 01", "Kalastusmalli 03", "Kalastusmalli 05",
    ]
    # (the index is built after the response, within the capture: its reads have no LIMIT)
    (listed,) = [
        q["sql"] for q in queries if q["sql"].startswith('SELECT "catalog_practice"."id" AS "pk" FROM') and "LIMIT" in q["sql"]
    ]
    assert "EXISTS" in listed.upper()

    with CaptureQueriesContext(connection) as queries:
        again = client.get(url(theme=large.theme.slug, page=2))
    assert [hit.practice.title for hit in again.context["hits"]] == [f"Kalastusmalli {n}" for n in (41, 43, 45, 47)]
    assert again.context["results"].count == 24
    assert not any("COUNT(" in q["sql"].upper() for q in queries)
    assert not [q["sql"] for q in queries if q["sql"].startswith('SELECT "catalog_practice"."id" AS "pk" FROM')]

    with CaptureQueriesContext(connection) as queries:
        assert [hit.practice.title for hit in client.get(url(theme=small.theme.slug)).context["hits"]] == ["Ainoa"]
    assert not [q["sql"] for q in queries if q["sql"].startswith('SELECT "catalog_practice"."id" AS "pk" FROM')]

    # A publish: a signed-in reader's count (and an anonymous one's, with the stale bound 0 here) is exact.
    PlacementFactory(practice=PracticeFactory(title="Uusi"), subtheme=large)
    assert client.get(url(theme=large.theme.slug)).context["results"].count == 25


def test_any_selection_is_counted_from_the_facet_index_kept_in_the_database(client, db):
    """After a Redis restart a selection's search page computed its facets and count in SQL (a
    second at 100,000 entries for a keyword or a subtheme nobody had asked for): now every selection
    is counted from the facet index (facet_index.py), which is kept in the database once, not a row
    per selection (there would be rows without end)."""
    from django.core.cache import cache

    from methodbank.core.models import SharedFigure

    subtheme = SubthemeFactory(theme=ThemeFactory(code="A"))
    keyword = KeywordFactory(name="kalastus")
    for number in range(3):
        PlacementFactory(practice=PracticeFactory(title=f"Kalastusmalli {number}", keywords=[keyword]), subtheme=subtheme)
    first = {}
    for selection in ({"theme": subtheme.theme.slug}, {"keyword": keyword.slug}, {"subtheme": subtheme.pk, "kind": "model"}):
        first[str(selection)] = client.get(url(**selection)).context["results"]
    kept = list(SharedFigure.objects.values_list("name", flat=True))
    assert "search-facet-index" in kept
    assert not [n for n in kept if n.startswith("search-filtered-facets:")]
    # The first page found no index (it counted in SQL and built it after its response): its theme's
    # count is kept as a theme's was; the keyword's and the combination's, counted from the index, not.
    assert len([n for n in kept if n.startswith("search-browse-count:")]) <= 1
    cache.clear()
    for selection in ({"theme": subtheme.theme.slug}, {"keyword": keyword.slug}, {"subtheme": subtheme.pk, "kind": "model"}):
        with CaptureQueriesContext(connection) as queries:
            again = client.get(url(**selection)).context["results"]
        before = first[str(selection)]
        assert again.count == before.count
        assert [(f.param, [(v.value, v.count) for v in f.values]) for f in again.facets] == [
            (f.param, [(v.value, v.count) for v in f.values]) for f in before.facets
        ]
        read = " ".join(q["sql"] for q in queries).upper()
        assert "COUNT(" not in read and "GROUP BY" not in read, read  # the list's page only
