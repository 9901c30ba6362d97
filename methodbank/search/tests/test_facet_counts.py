"""The search page's facet counts over its ranked entries: counted from each entry's facet values,
kept per process until the catalog changes (facets._entry_facet_values), they must equal the grouped
SQL counts in every language and follow a catalog change at once."""

import datetime

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
    SubthemeFactory,
    ThemeFactory,
)
from methodbank.search.facets import facet_counts
from methodbank.search.models import Concept, FacetAssignment, FacetStatus
from methodbank.search.selectors import _id_set, _published, search_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog():
    theme_a, theme_c = ThemeFactory(code="A"), ThemeFactory(code="C")
    sub_a, sub_c = SubthemeFactory(theme=theme_a, name="Hakeutuminen"), SubthemeFactory(theme=theme_c, name="Tuki")
    project = ProjectFactory(name="Opin portailla")
    keyword = KeywordFactory(name="maahanmuuttajat")
    model = PracticeFactory(
        kind=PracticeKind.MODEL, title="Maahanmuuttajien mentorointi", summary="Mentorit tukevat opiskelijoita.",
        project=project, keywords=[keyword],
    )
    practice = PracticeFactory(title="Tukipaja maahanmuuttajille", summary="Apua opintoihin.", project=project)
    draft = PracticeFactory(title="Maahanmuuttajien luonnos", status=PublicationStatus.DRAFT, project=project)
    other = PracticeFactory(title="Maahanmuuttajien uraohjaus", summary="Uraohjausta kaikille.")
    PlacementFactory(practice=model, subtheme=sub_a)
    PlacementFactory(practice=model, subtheme=sub_c)  # in two themes: counted once in each
    PlacementFactory(practice=practice, subtheme=sub_c, period=OldPeriodFactory())
    PlacementFactory(practice=draft, subtheme=sub_a)
    PlacementFactory(practice=other, subtheme=sub_c)
    for entry in (model, practice, draft):
        FacetAssignment.objects.create(
            practice=entry, concept=Concept.objects.get(identifier="maahanmuuttaja"), status=FacetStatus.CONFIRMED
        )
    return {"model": model, "practice": practice, "draft": draft, "other": other, "sub_a": sub_a}


def _shown(facets):
    return [(f.param, f.total, [(v.value, v.label, v.count, v.lang) for v in f.values]) for f in facets]


def _sql_counts(results):
    """What the page showed before: one grouped SQL query per facet over the ranked entries."""
    ids = [e.practice_id for e in results.entries]
    return _shown(facet_counts(_published().filter(pk__in=_id_set(ids)), {}))


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_counts_equal_the_sql_counts_in_every_language(catalog, language):
    from methodbank.evaluation.models import ExpertRecommendation, Outcome
    from methodbank.evaluation.tests.factories import EvaluationEventFactory

    model = catalog["model"]
    ExpertRecommendation.objects.create(
        event=EvaluationEventFactory(models_on_agenda=[model]), practice=model, outcome=Outcome.RECOMMENDED,
        rationale="Valmis.", decided_on=datetime.date(2026, 11, 30), evaluated_lock_version=model.lock_version,
        evaluated_updated_at=model.updated_at,
    )
    with translation.override(language):
        results = search_entries(text="maahanmuuttajat", language=language)
        shown = _shown(results.facets)
        assert shown == _sql_counts(results)
    params = {param for param, _total, _values in shown}
    assert {"kind", "theme", "subtheme", "period", "project", "keyword", "target", "evaluation"} <= params
    themes = {v[0]: v[2] for p, _t, values in shown if p == "theme" for v in values}
    assert sorted(themes.values()) == [1, 3]  # the draft is not counted; the model once per theme


def test_a_second_search_over_the_same_entries_reads_no_facet_table(catalog):
    search_entries(text="maahanmuuttajat")
    with CaptureQueriesContext(connection) as queries:
        results = search_entries(text="maahanmuuttajien")
    assert results.facets and results.count == 3
    read = " ".join(q["sql"] for q in queries.captured_queries)
    for table in ("catalog_placement", "catalog_practice_keywords", "search_facetassignment", "catalog_project"):
        assert table not in read


def test_counts_follow_a_catalog_change_at_once(catalog):
    before = {f.param: {v.value: v.count for v in f.values} for f in search_entries(text="maahanmuuttajat").facets}
    assert before["kind"] == {"model": 1, "good_practice": 2}
    PlacementFactory(practice=catalog["other"], subtheme=catalog["sub_a"])
    catalog["practice"].keywords.add(KeywordFactory(name="tukipaja"))
    catalog["draft"].status = PublicationStatus.PUBLISHED
    catalog["draft"].save()
    results = search_entries(text="maahanmuuttajat")
    after = {f.param: {v.value: v.count for v in f.values} for f in results.facets}
    assert after["kind"] == {"model": 1, "good_practice": 3}
    assert after["keyword"] == {"maahanmuuttajat": 1, "tukipaja": 1}
    assert _shown(results.facets) == _sql_counts(results)


def test_a_second_search_showing_the_same_entries_loads_none_of_them_again(catalog):
    from methodbank.search.selectors import search_hits

    first = search_entries(text="maahanmuuttajat")
    search_hits(first, list(first.entries))
    again = search_entries(text="maahanmuuttajat")
    with CaptureQueriesContext(connection) as queries:
        hits = search_hits(again, list(again.entries))
    assert len(hits) == 3
    assert not queries.captured_queries


def test_the_shown_entries_follow_a_catalog_change_at_once(catalog):
    from methodbank.search.selectors import search_hits

    results = search_entries(text="maahanmuuttajat")
    search_hits(results, list(results.entries))
    catalog["model"].title = "Maahanmuuttajien vertaismentorointi"
    catalog["model"].save()
    results = search_entries(text="maahanmuuttajat")
    titles = {hit.practice.title for hit in search_hits(results, list(results.entries))}
    assert "Maahanmuuttajien vertaismentorointi" in titles


def test_a_first_search_reads_each_facet_table_once(catalog):
    """The entries a search meets first: the facets reading one table share one query of it (three
    placement facets, three concept facets, the kind and the project of the entries' own rows)."""
    with CaptureQueriesContext(connection) as queries:
        results = search_entries(text="maahanmuuttajat")
    shown = {f.param for f in results.facets}
    assert {"kind", "theme", "subtheme", "period", "project", "target"} <= shown
    read = [q["sql"] for q in queries.captured_queries]
    for table in ("catalog_placement", "search_facetassignment", "catalog_practice_keywords"):
        assert sum(f'FROM "{table}"' in sql for sql in read) == 1, table
    own_rows = [sql for sql in read if '"catalog_practice"."kind"' in sql and '"catalog_project"."slug"' in sql]
    assert len(own_rows) == 1
