"""Whole entries kept as JSON until the catalog changes (api/entry_json.py): the pages and the detail
are exactly what the schema path gives (entry_to_dict, validated and dumped through EntryPage /
EntryOut, written by the API's renderer), in every language, whether rendered or kept; every kind
of change is seen at once; a kept page reads no entry's relations."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from methodbank.api import selectors
from methodbank.api.pagination import in_order
from methodbank.api.renderers import render_json
from methodbank.api.schemas import EntryOut, EntryPage
from methodbank.catalog.models import PracticeTranslation, PublicationStatus
from methodbank.catalog.tests.factories import (
    AdoptionFactory,
    ModelPracticeFactory,
    PlacementFactory,
    PracticeFactory,
    PracticeLinkFactory,
    PracticeTranslationFactory,
)
from methodbank.search.models import Concept, FacetAssignment, FacetStatus

pytestmark = pytest.mark.django_db

LANGUAGES = ("fi", "sv", "en")


def _schema_path_entries(ids, language):
    """The entries' dicts as the API built them before any were kept: loaded with their relations,
    evaluated and counted for this request, in the request's language."""
    with translation.override(language):
        entries = in_order(list(selectors.entry_queryset().filter(pk__in=ids)), ids)
        adoptions, _changed = selectors.entry_adoptions_by_entry(entries)
        evaluations = selectors.entry_evaluations(entries)
        return [selectors.entry_to_dict(e, evaluations.get(e.pk), adoptions.get(e.pk)) for e in entries]


def schema_path_page(body: dict, language: str) -> str:
    """What ninja answered for this page: the envelope with the dicts, validated against EntryPage
    (whose results are tried as whole entries first), dumped and rendered."""
    items = _schema_path_entries([item["id"] for item in body["results"]], language)
    with translation.override(language):
        return render_json(EntryPage.model_validate({**body, "results": items}).model_dump())


def schema_path_entry(pk: int, language: str) -> str:
    (item,) = _schema_path_entries([pk], language)
    with translation.override(language):
        return render_json(EntryOut.model_validate(item).model_dump())


def _recommend(model, outcome="recommended", rationale="Valmis levitettäväksi."):
    from methodbank.evaluation.models import ExpertRecommendation
    from methodbank.evaluation.tests.factories import EvaluationEventFactory

    event = EvaluationEventFactory(models_on_agenda=[model])
    return ExpertRecommendation.objects.create(
        event=event, practice=model, outcome=outcome, rationale=rationale, decided_on=datetime.date(2026, 11, 30),
        evaluated_lock_version=model.lock_version, evaluated_updated_at=model.updated_at, evaluated_snapshot={},
    )


@pytest.fixture
def varied(catalog):
    """Entries unlike each other: translations into one or two languages, empty sections, evaluated
    and adopted models, confirmed and suggested facet values, an imported entry, several themes."""
    model, practice = catalog["model"], catalog["practice"]
    PracticeTranslationFactory(practice=model, language="sv", title="Ohjaamomodellen", summary="På svenska.",
                               contacts="Kontakt")
    PracticeTranslationFactory(practice=model, language="en", title="The Ohjaamo model", resources="Two people.")
    _recommend(model)
    AdoptionFactory(model=model, organisation="Omnia", municipality="049")
    AdoptionFactory(model=model, organisation="omnia", municipality="049")  # the same organisation
    AdoptionFactory(model=model, organisation="Osao", municipality="564")
    for identifier, status in (("romani", FacetStatus.CONFIRMED), ("perusopetus", FacetStatus.CONFIRMED),
                               ("koulutukseen-siirtyminen", FacetStatus.SUGGESTED)):
        FacetAssignment.objects.create(practice=model, concept=Concept.objects.get(identifier=identifier),
                                       status=status)
    imported = PracticeFactory(title="Tuotu käytäntö", source="zoomi-2020:line 150", summary="", project=None)
    PlacementFactory(practice=imported, subtheme=catalog["sub_b"], period=None)
    PracticeTranslationFactory(practice=imported, language="en", title="Imported practice", summary="")
    other_model = ModelPracticeFactory(title="Toinen malli", summary="Ohjaus ja tuki.", content_and_actions="Tehdään.")
    _recommend(other_model, outcome="further_development", rationale="Tarvitsee mittarit.")
    PlacementFactory(practice=other_model, subtheme=catalog["sub_a"], period=catalog["old_period"])
    PlacementFactory(practice=other_model, subtheme=catalog["sub_b"], period=catalog["new_period"])
    PracticeLinkFactory(practice=other_model)
    unevaluated = ModelPracticeFactory(title="Arvioimaton malli", keywords=[catalog["other_keyword"]])
    PlacementFactory(practice=unevaluated, subtheme=catalog["sub_a"], period=None)
    for n in range(4):
        filler = PracticeFactory(title=f"Ohjauksen käytäntö {n}", applies_model=other_model if n % 2 else None)
        PlacementFactory(practice=filler, subtheme=catalog["sub_a" if n % 2 else "sub_b"])
    PracticeLinkFactory(practice=practice, url="https://example.org/sovellus", title="")
    return catalog


def _pages(varied):
    return [
        "/api/v1/entries?limit=100",
        "/api/v1/entries",
        "/api/v1/entries?limit=3",
        f"/api/v1/entries?limit=3&after={varied['model'].pk}",
        f"/api/v1/entries?limit=2&before={varied['practice'].pk + 5}",
        "/api/v1/entries?limit=100&theme=B",
        "/api/v1/entries?limit=100&kind=model",
        "/api/v1/entries?limit=100&evaluation=recommended",
        "/api/v1/entries?limit=100&q=ohjaus",
        "/api/v1/entries?limit=2&q=ohjaus&offset=2",
        "/api/v1/entries?after=999999",
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_of_whole_entries_equal_the_schema_path_rendered_and_kept(client, varied, language):
    for url in _pages(varied):
        rendered = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        kept = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        assert rendered.status_code == kept.status_code == 200, rendered.content
        expected = schema_path_page(rendered.json(), language)
        assert rendered.content.decode() == expected, url
        assert kept.content.decode() == expected, url
        for header in ("Content-Type", "ETag", "Last-Modified"):
            assert rendered[header] == kept[header], (url, header)
    # The entries compared are as varied as the fixture means them to be.
    results = client.get("/api/v1/entries?limit=100", HTTP_ACCEPT_LANGUAGE=language).json()["results"]
    assert {item["evaluation"]["status"] for item in results if item["evaluation"]} == {
        "recommended", "further_development", "not_evaluated"}
    assert any(item["adoptions"] and item["adoptions"]["regions"] for item in results)
    assert any(item["source_report"] for item in results) and any(item["translations"] for item in results)
    assert any(item["target_groups"] for item in results) and any(item["applies_model"] for item in results)


def test_the_languages_are_kept_apart(client, varied):
    model = varied["model"]
    labels = {
        language: client.get(f"/api/v1/entries/{model.pk}", HTTP_ACCEPT_LANGUAGE=language).json()["evaluation"]["label"]
        for language in LANGUAGES * 2  # each language twice: rendered, then kept
    }
    assert len(set(labels.values())) == 3, labels


@pytest.mark.parametrize("language", LANGUAGES)
def test_entry_detail_equals_the_schema_path_rendered_and_kept(client, varied, language):
    ids = [item["id"] for item in client.get("/api/v1/entries?limit=100").json()["results"]]
    assert len(ids) == 9
    for pk in ids:
        rendered = client.get(f"/api/v1/entries/{pk}", HTTP_ACCEPT_LANGUAGE=language)
        kept = client.get(f"/api/v1/entries/{pk}", HTTP_ACCEPT_LANGUAGE=language)
        expected = schema_path_entry(pk, language)
        assert rendered.content.decode() == kept.content.decode() == expected
        assert rendered["Last-Modified"] == kept["Last-Modified"] and rendered["ETag"] == kept["ETag"]
    for pk in (varied["draft"].pk, varied["submitted"].pk, 10**12):
        for _ in range(2):
            response = client.get(f"/api/v1/entries/{pk}")
            assert response.status_code == 404
            assert response["Content-Type"] == "application/problem+json"


def test_a_kept_page_reads_its_ids_only(client, varied):
    url = "/api/v1/entries?limit=100"
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert again.content == first.content
    # The page's ids: no entry's relations, however long the page.
    assert len(queries) == 1, [q["sql"] for q in queries]
    read = queries[0]["sql"].lower()
    for table in ("catalog_placement", "catalog_practicetranslation", "catalog_adoption", "catalog_keyword",
                  "catalog_project", "evaluation_"):
        assert table not in read
    theme = "/api/v1/entries?limit=100&theme=A"
    client.get(theme)
    with CaptureQueriesContext(connection) as queries:
        client.get(theme)
    assert len(queries) == 2  # the theme's code, the page's ids
    detail = f"/api/v1/entries/{varied['model'].pk}"
    client.get(detail)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(detail).status_code == 200
    assert len(queries) == 0
    # A conditional request for a kept entry: 304 on its ETag and on its Last-Modified.
    response = client.get(detail)
    assert client.get(detail, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.get(detail, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_without_the_cache_the_pages_are_the_same(client, varied, monkeypatch):
    """A cache that fails (Redis down) renders every entry as before: the same answer."""
    url = "/api/v1/entries?limit=100"
    expected = client.get(url).content

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get_many", down)
    monkeypatch.setattr(cache, "set_many", down)
    assert client.get(url).content == expected
    assert client.get(f"/api/v1/entries/{varied['model'].pk}").json()["id"] == varied["model"].pk


# --- Every kind of change is seen at once -------------------------------------------------------


def _publish(catalog):
    draft = catalog["draft"]
    draft.status, draft.published_at = PublicationStatus.PUBLISHED, datetime.datetime.now(datetime.UTC)
    draft.save()
    return lambda body, detail: draft.pk in [item["id"] for item in body["results"]]


def _edit(catalog):
    model = catalog["model"]
    model.title, model.resources = "Ohjaamomalli 2.0", "Kaksi ohjaajaa."
    model.save()
    return lambda body, detail: detail["title"] == "Ohjaamomalli 2.0" and detail["template"]["resources"] == "Kaksi ohjaajaa."


def _withdraw(catalog):
    model = catalog["model"]
    model.status = PublicationStatus.ARCHIVED
    model.save()
    return lambda body, detail: detail is None and model.pk not in [item["id"] for item in body["results"]]


def _translate(catalog):
    PracticeTranslationFactory(practice=catalog["model"], language="sv", title="Ohjaamomodellen")
    return lambda body, detail: "Ohjaamomodellen" in [t["title"] for t in detail["translations"]]


def _retranslate(catalog):
    translation_ = PracticeTranslation.objects.get(practice=catalog["model"], language="en")
    translation_.title = "The Ohjaamo model, revised"
    translation_.save()
    return lambda body, detail: [t["title"] for t in detail["translations"]] == ["The Ohjaamo model, revised"]


def _evaluate(catalog):
    _recommend(catalog["model"], outcome="local", rationale="Paikallinen hyvä käytäntö.")
    return lambda body, detail: detail["evaluation"]["status"] == "local"


def _place(catalog):
    PlacementFactory(practice=catalog["model"], subtheme=catalog["sub_b"], period=None)
    return lambda body, detail: sorted(p["theme"]["code"] for p in detail["placements"]) == ["A", "B"]


def _rename_keyword(catalog):
    keyword = catalog["other_keyword"]
    keyword.name = "uraohjaus"
    keyword.save()
    return lambda body, detail: "uraohjaus" in [k["name"] for k in detail["keywords"]]


def _rename_project(catalog):
    project = catalog["project"]
    project.name = "Sujuvat siirtymät (SISU)"
    project.save()
    return lambda body, detail: detail["project"]["name"] == "Sujuvat siirtymät (SISU)"


def _adopt(catalog):
    AdoptionFactory(model=catalog["model"], organisation="Sedu", municipality="743")
    return lambda body, detail: detail["adoptions"]["organisations"] == 1


def _apply(catalog):
    applying = PracticeFactory(title="Uusi sovellus", applies_model=catalog["model"])
    return lambda body, detail: applying.pk in [a["id"] for a in detail["applications"]]


def _confirm_facet(catalog):
    FacetAssignment.objects.create(practice=catalog["model"], concept=Concept.objects.get(identifier="romani"),
                                   status=FacetStatus.CONFIRMED)
    return lambda body, detail: [v["identifier"] for v in detail["target_groups"]] == ["romani"]


CHANGES = [_publish, _edit, _withdraw, _translate, _retranslate, _evaluate, _place, _rename_keyword, _rename_project,
           _adopt, _apply, _confirm_facet]


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__.strip("_") for c in CHANGES])
@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_change_is_seen_at_once(client, catalog, change, language):
    model = catalog["model"]
    PracticeTranslationFactory(practice=model, language="en", title="The Ohjaamo model")
    list_url, detail_url = "/api/v1/entries?limit=100", f"/api/v1/entries/{model.pk}"

    def read():
        body = client.get(list_url, HTTP_ACCEPT_LANGUAGE=language)
        detail = client.get(detail_url, HTTP_ACCEPT_LANGUAGE=language)
        return body, detail

    before = read()
    assert read()[0].content == before[0].content  # kept now
    seen = change(catalog)
    body, detail = read()
    assert body.content != before[0].content
    assert body.content.decode() == schema_path_page(body.json(), language)
    detail_body = detail.json() if detail.status_code == 200 else None
    assert seen(body.json(), detail_body)
    if detail_body is not None:
        assert detail.content.decode() == schema_path_entry(model.pk, language)
    # Within the same catalog version, the new answer is kept.
    assert read()[0].content == body.content


@pytest.mark.django_db
def test_kept_entries_have_a_cache_of_their_own_beside_a_process_local_default(client):
    """A client walking the bank keeps entries by the thousand: beside the default LocMemCache (a few
    hundred keys, least recently used culled first) they must not push out its pages, figures and
    rate-limit counters."""
    from django.core.cache import cache, caches

    from methodbank.api.entry_json import ENTRY_CACHE

    entries = PracticeFactory.create_batch(3)
    cache.set("a-rate-limit-counter", 7, None)
    assert client.get("/api/v1/entries?limit=100").status_code == 200
    kept_default = [k for k in cache._cache if "api-entry:" in k]  # noqa: SLF001
    kept_own = [k for k in caches[ENTRY_CACHE]._cache if "api-entry:" in k]  # noqa: SLF001
    assert kept_default == []
    assert len(kept_own) == len(entries)
    assert cache.get("a-rate-limit-counter") == 7


@pytest.mark.django_db
def test_a_default_cache_that_lost_the_version_never_meets_kept_entries(client):
    """The version lives in the default cache: cleared (or restarted), it starts again at 1, while
    the entries' own cache still holds what version 1 kept before."""
    from django.core.cache import cache

    entry = PracticeFactory(title="Ennen")
    cache.clear()  # the version starts again at 1
    assert client.get(f"/api/v1/entries/{entry.pk}").json()["title"] == "Ennen"
    cache.clear()  # at 1 again, and its token is gone; the entries' cache is not
    type(entry).objects.filter(pk=entry.pk).update(title="Jälkeen")
    assert client.get(f"/api/v1/entries/{entry.pk}").json()["title"] == "Jälkeen"
