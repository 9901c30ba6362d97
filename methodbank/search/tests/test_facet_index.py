"""The facet index (facet_index.py): a selection's facet counts and count, read from numpy postings,
must be those of the grouped SQL queries (facets.facet_counts without the index) exactly, for any
selection, with or without a search's ranked ids, in every language; and it must follow a catalog
change."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from methodbank.catalog.models import PracticeKind, PublicationStatus
from methodbank.catalog.tests.factories import (
    KeywordFactory,
    OldPeriodFactory,
    PlacementFactory,
    PracticeFactory,
    ProjectFactory,
    ProjectTranslationFactory,
    SubthemeFactory,
    ThemeFactory,
)
from methodbank.search.facet_index import facet_index, facet_index_build, index_counts
from methodbank.search.facets import all_facets, apply_filters, facet_counts
from methodbank.search.models import Concept, ConceptCategory, FacetAssignment, FacetStatus
from methodbank.search.selectors import _id_set, _published, search_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    from methodbank.evaluation.models import ExpertRecommendation, Outcome
    from methodbank.evaluation.tests.factories import EvaluationEventFactory

    theme_a, theme_b, theme_c = ThemeFactory(code="A"), ThemeFactory(code="B"), ThemeFactory(code="C")
    subthemes = [
        SubthemeFactory(theme=theme_a, name="Hakeutuminen"),
        SubthemeFactory(theme=theme_a, name="Ohjaus"),
        SubthemeFactory(theme=theme_b, name="Tuki"),
        SubthemeFactory(theme=theme_c, name="Työelämä"),
    ]
    old_period = OldPeriodFactory()
    projects = [ProjectFactory(name=f"Hanke {letter}") for letter in "ÄBCd"]
    ProjectTranslationFactory(project=projects[0], language="sv", name="Projekt Ä")
    ProjectTranslationFactory(project=projects[1], language="en", name="Project B")
    keywords = [KeywordFactory(name=name) for name in ("maahanmuuttajat", "mentorointi", "ohjaus", "työpaja")]
    unapproved = KeywordFactory(name="ehdotus")
    unapproved.approved = False
    unapproved.save()
    values = Concept.objects.filter(facet_value=True).order_by("pk")
    targets = list(values.filter(category=ConceptCategory.TARGET_GROUP)[:2])
    concepts = [targets[0], values.filter(category=ConceptCategory.EDUCATION).first(),
                values.filter(category=ConceptCategory.TRANSITION).first(), targets[1]]
    entries = []
    for number in range(24):
        entry = PracticeFactory(
            kind=PracticeKind.MODEL if number % 3 == 0 else PracticeKind.GOOD_PRACTICE,
            title=f"Käytäntö {number:02}",
            project=projects[number % 4] if number % 7 else None,
            keywords=[keywords[number % 4], *([keywords[(number + 1) % 4]] if number % 2 else []),
                      *([unapproved] if number % 5 == 0 else [])],
            status=PublicationStatus.DRAFT if number % 8 == 7 else PublicationStatus.PUBLISHED,
        )
        PlacementFactory(practice=entry, subtheme=subthemes[number % 4], period=old_period if number % 2 else None)
        if number % 3 == 1:  # placed twice: counted once per value
            PlacementFactory(practice=entry, subtheme=subthemes[(number + 1) % 4])
            PlacementFactory(practice=entry, subtheme=subthemes[number % 4])
        for concept in concepts[: number % 5]:
            FacetAssignment.objects.create(
                practice=entry, concept=concept,
                status=FacetStatus.CONFIRMED if number % 4 else FacetStatus.SUGGESTED,
            )
        entries.append(entry)
    for entry in entries[0:12:3]:
        ExpertRecommendation.objects.create(
            event=EvaluationEventFactory(models_on_agenda=[entry]), practice=entry, outcome=Outcome.RECOMMENDED,
            rationale="Valmis.", decided_on=datetime.date(2026, 11, 30), evaluated_lock_version=entry.lock_version,
            evaluated_updated_at=entry.updated_at,
        )
    return {"entries": entries, "subthemes": subthemes, "projects": projects, "keywords": keywords,
            "unapproved": unapproved, "concepts": concepts, "themes": [theme_a, theme_b, theme_c]}


def _shown(facets):
    return [(f.param, f.total, [(v.value, v.label, v.count, v.selected, v.lang) for v in f.values]) for f in facets]


def _selections(catalog):
    themes, subthemes, projects, keywords = catalog["themes"], catalog["subthemes"], catalog["projects"], catalog["keywords"]
    concept = catalog["concepts"][0].identifier
    single = [
        {}, {"kind": ["model"]}, {"theme": [themes[0].slug]}, {"theme": [themes[0].slug, themes[2].slug]},
        {"subtheme": [str(subthemes[1].pk)]}, {"subtheme": [f"0{subthemes[1].pk}"]},  # an id as "07": the SQL reads 7
        {"period": ["2015-2019"]}, {"project": [projects[0].slug]}, {"keyword": [keywords[2].slug]},
        {"keyword": [catalog["unapproved"].slug]},  # filters, though never counted
        {"target": [concept]}, {"evaluation": ["recommended"]}, {"kind": ["no-such-kind"]},
        {"keyword": ["no-such-keyword", keywords[1].slug]},
    ]
    pairs = [{**a, **b} for a, b in itertools.combinations(single[1:], 2) if not set(a) & set(b)]
    return single + pairs + [
        {"kind": ["good_practice"], "theme": [themes[0].slug], "keyword": [keywords[0].slug], "period": ["2015-2019"]},
    ]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_counts_equal_the_sql_counts_for_every_selection(catalog, language):
    index = facet_index_build()
    base = _published()
    facets = all_facets()
    with translation.override(language):
        for filters in _selections(catalog):
            indexed = index_counts(index, facets, filters, language=language)
            assert _shown(facet_counts(base, filters, indexed=indexed)) == _shown(facet_counts(base, filters)), filters
            assert indexed.count == apply_filters(base, filters).count(), filters
            assert set(indexed.counted) == {f.param for f in facets}  # every facet from the index, none in SQL
        shown = {param for param, _total, _values in _shown(facet_counts(base, {}))}
        assert {"kind", "theme", "subtheme", "period", "project", "keyword", "target", "evaluation"} <= shown


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_counts_over_ranked_ids_equal_the_sql_counts(catalog, language):
    """A search with words: the index counts its ranked entries (drafts among the ids are not
    counted, as the SQL's published base does not)."""
    index = facet_index_build()
    entries = catalog["entries"]
    id_sets = [[e.pk for e in entries[::2]], [e.pk for e in entries[5:19]], [entries[7].pk], [], [10**9]]
    with translation.override(language):
        for ids, filters in itertools.product(id_sets, _selections(catalog)[:12]):
            base = _published().filter(pk__in=_id_set(ids))
            indexed = index_counts(index, all_facets(), filters, ids=ids, language=language)
            assert _shown(facet_counts(base, filters, ids=ids, indexed=indexed)) == _shown(facet_counts(base, filters))
            assert indexed.count == apply_filters(base, filters).count()


def test_the_search_page_of_a_selection_uses_the_index_and_follows_a_catalog_change(catalog):
    keyword = catalog["keywords"][2]
    before = search_entries(text="", filters={"keyword": [keyword.slug]})
    index, exact = facet_index()
    assert exact and facet_index()[0] is index  # kept in the process until the catalog changes
    entry = PracticeFactory(kind=PracticeKind.MODEL, title="Uusi", keywords=[keyword])
    PlacementFactory(practice=entry, subtheme=catalog["subthemes"][0])
    after = search_entries(text="", filters={"keyword": [keyword.slug]})
    assert facet_index()[0] is not index
    assert after.count == before.count + 1 == len(after.entries)
    kinds = lambda results: {v.value: v.count for f in results.facets if f.param == "kind" for v in f.values}  # noqa: E731
    assert kinds(after)["model"] == kinds(before)["model"] + 1
    assert _shown(after.facets) == _shown(facet_counts(_published(), {"keyword": [keyword.slug]}))


def test_an_empty_catalog_has_an_empty_index(db):
    index = facet_index_build()
    assert len(index.ids) == 0
    counted = index_counts(index, all_facets(), {"theme": ["a"]}, language="fi")
    assert counted.count == 0 and all(values == [] for values in counted.counted.values())


def test_migrate_computes_and_keeps_the_shared_figures(capsys):
    """A new install or a deploy that migrates (which moves the catalog generation, so nothing kept
    before is exact) must not leave the figures to the first visitors: `migrate` computes them, into
    the database with the current generation, and a cold cache then reads them there."""
    from django.core.cache import cache
    from django.core.management import call_command

    from methodbank.core.shared_figures import figure_read

    PlacementFactory(practice=PracticeFactory(title="Purjevenemalli"), subtheme=SubthemeFactory())
    call_command("migrate", verbosity=1)
    assert "Computed the shared figures (" in capsys.readouterr().out
    for name in ("search-facet-index", "search-browse-facets:fi", "search-browse-facets:sv", "front-page",
                 "search-browse-count"):
        assert figure_read(name).exact, name
    cache.clear()
    with translation.override("fi"), CaptureQueriesContext(connection) as queries:
        results = search_entries(text="", filters={"kind": ["good_practice"]})
    assert results.count == 1
    assert not [q["sql"] for q in queries if "GROUP BY" in q["sql"].upper() or "COUNT(" in q["sql"].upper()]



def test_a_page_finding_no_index_counts_in_sql_and_builds_it_after_its_response(catalog, rf):
    """Nothing kept anywhere (a stored index that no longer loads after a code change): building the
    index costs more than one page's SQL counts, so the page counts in SQL, as before the index, and
    the index is built once the response has been sent (core.cache, defer_in_page)."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from methodbank.core.cache import SharedFiguresMiddleware
    from methodbank.core.shared_figures import figure_read

    keyword = catalog["keywords"][2]
    shown = {}

    def view(request):
        results = search_entries(text="", filters={"keyword": [keyword.slug]})
        shown.update(count=results.count, facets=_shown(results.facets))
        return HttpResponse("")

    request = rf.get("/haku/")
    request.user = AnonymousUser()
    response = SharedFiguresMiddleware(view)(request)
    assert not figure_read("search-facet-index").found
    assert shown["facets"] == _shown(facet_counts(_published(), {"keyword": [keyword.slug]}))
    assert shown["count"] == apply_filters(_published(), {"keyword": [keyword.slug]}).count()
    # What response.close() runs once the WSGI server has sent the body (without its request_finished
    # signal, which would close the test's connection, as the test client also avoids).
    for closer in response._resource_closers:
        closer()
    assert figure_read("search-facet-index").exact


def test_a_small_selection_is_listed_from_the_index_ids(catalog):
    """PostgreSQL planned the IN subqueries of a theme and a keyword at 130-200 ms at 100,000 entries:
    a small selection's page of entries is read by the ids the index found."""
    base = _published()
    filters = next(f for f in _selections(catalog) if f and apply_filters(base, f).count() == 1)
    search_entries(text="", filters=filters)  # the index is built and kept
    with CaptureQueriesContext(connection) as queries:
        results = search_entries(text="", filters=filters)
        listed = [e.practice_id for e in results.entries[:20]]
    assert listed == list(apply_filters(base, filters).order_by("title", "pk").values_list("pk", flat=True))
    read = " ".join(q["sql"] for q in queries.captured_queries)
    for table in ("catalog_placement", "catalog_practice_keywords", "search_facetassignment", "catalog_project"):
        assert f'"{table}"' not in read, read


def test_every_selection_is_listed_from_the_index_in_the_databases_order(catalog):
    """Any selection's list (a theme and a keyword of 2,500 entries at 100,000 took PostgreSQL
    130-200 ms to plan and read) comes from the exact index, in the order the database sorts titles
    in (its collation: ä, case, equal titles by id), with no query for the list."""
    keyword = catalog["keywords"][0]
    subtheme = catalog["subthemes"][0]
    titles = ("Äidinkielen tuki", "äänestys", "Zeta", "aapinen", "Käytäntö 03", "Käytäntö 03", "Ö-ryhmä")
    for number, title in enumerate(titles):
        entry = PracticeFactory(title=title, slug=f"order-{number}", keywords=[keyword])
        PlacementFactory(practice=entry, subtheme=subtheme)
    base = _published()
    selections = [f for f in _selections(catalog) if f]
    search_entries(text="", filters=selections[0])  # the index is built and kept
    for filters in selections:
        expected = list(apply_filters(base, filters).order_by("title", "pk").values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as queries:
            results = search_entries(text="", filters=filters)
            listed = [e.practice_id for e in results.entries]
        assert listed == expected, filters
        assert results.count == len(expected)
        assert [e.practice_id for e in results.entries[2:5]] == expected[2:5]
        # No list query (a value the index lacks, such as "07", is still filtered in SQL, unordered).
        assert not [q["sql"] for q in queries.captured_queries if '"title" ASC' in q["sql"]], filters
