"""The read API: published content only, the site's facets, stable ordering and pagination."""

import pytest

pytestmark = pytest.mark.django_db


def _ids(response):
    return [item["id"] for item in response.json()["results"]]


def test_entries_list_only_published_in_id_order(client, catalog):
    response = client.get("/api/v1/entries")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert _ids(response) == sorted([catalog["model"].pk, catalog["practice"].pk])
    titles = {item["title"] for item in body["results"]}
    assert "Salainen luonnos" not in titles and "Odottaa moderointia" not in titles


def test_entry_detail_has_placements_template_keywords_links_and_model(client, catalog):
    practice = catalog["practice"]
    body = client.get(f"/api/v1/entries/{practice.pk}").json()
    assert body["kind"] == "good_practice"
    assert body["project"]["slug"] == "toinen-hanke"
    # One entry listed in two places.
    assert [(p["theme"]["code"], p["subtheme"]["slug"], p["period"]["code"]) for p in body["placements"]] == [
        ("A", "hakeutumisen-ohjaus", "2015-2019"),
        ("B", "tyoelamayhteistyo", "2019-2021"),
    ]
    assert body["applies_model"] == {
        "id": catalog["model"].pk,
        "slug": "ohjaamomalli",
        "title": "Ohjaamomalli",
        "kind": "model",
    }
    assert body["keywords"] == [{"slug": "sujuvat-siirtymat", "name": "sujuvat siirtymät"}]
    assert set(body["template"]) == {
        "goal_and_target_group",
        "content_and_actions",
        "deployment_staff",
        "deployment_marketing",
        "deployment_materials",
        "resources",
        "results_and_indicators",
        "contacts",
    }
    assert "links" in body["missing_sections"]
    assert body["url"].endswith("/fi/menetelmat/paikallinen-sovellus/")

    model = client.get(f"/api/v1/entries/{catalog['model'].pk}").json()
    assert model["links"] == [{"url": "https://example.org/malli", "title": "Mallin kuvaus"}]
    assert [a["id"] for a in model["applications"]] == [practice.pk]
    assert "goal_and_target_group" not in model["missing_sections"]


def test_unpublished_entry_is_a_404_problem(client, catalog):
    for entry in (catalog["draft"], catalog["submitted"]):
        response = client.get(f"/api/v1/entries/{entry.pk}")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["status"] == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=model", ["model"]),
        ("kind=good_practice", ["practice"]),
        ("theme=B", ["practice"]),
        ("theme=a", ["model", "practice"]),
        ("subtheme=tyoelamayhteistyo", ["practice"]),
        ("period=2015-2019", ["practice"]),
        ("project=sisu", ["model"]),
        ("keyword=ohjaus", ["model"]),
        ("keyword=sujuvat-siirtymat&kind=good_practice", ["practice"]),
        # Theme, subtheme and period must hold for the same placement.
        ("theme=A&period=2019-2021", ["model"]),
        ("theme=B&period=2015-2019", []),
    ],
)
def test_entry_filters_match_the_sites_facets(client, catalog, query, expected):
    response = client.get(f"/api/v1/entries?{query}")
    assert response.status_code == 200, response.content
    assert _ids(response) == sorted(catalog[name].pk for name in expected)


def test_search_parameter_finds_entries(client, catalog):
    response = client.get("/api/v1/entries?q=ohjaamomalli")
    assert response.status_code == 200
    assert _ids(response) == [catalog["model"].pk]
    assert client.get("/api/v1/entries?q=salainen").json()["count"] == 0  # drafts are never found


def test_search_parameter_reads_a_typo_and_says_what_it_meant(client, catalog):
    """A transposed letter still finds the entry, and the response names the corrected query."""
    exact = client.get("/api/v1/entries?q=ohjaamomalli").json()
    assert exact["did_you_mean"] is None
    typo = client.get("/api/v1/entries?q=ohjaamomlali").json()
    assert [e["id"] for e in typo["results"]] == [catalog["model"].pk]
    assert typo["did_you_mean"] == "ohjaamomalli"


def test_pagination_links_walk_the_whole_list(client, catalog):
    # The links of a list in id order are cursors (test_cursor.py); offset still works.
    ids = sorted([catalog["model"].pk, catalog["practice"].pk])
    first = client.get("/api/v1/entries?limit=1").json()
    assert first["count"] == 2 and first["previous"] is None
    assert f"after={ids[0]}" in first["next"] and "limit=1" in first["next"] and "offset" not in first["next"]
    second = client.get(first["next"]).json()
    assert second["next"] is None
    assert f"before={ids[1]}" in second["previous"]
    assert [first["results"][0]["id"], second["results"][0]["id"]] == ids
    assert client.get(second["previous"]).json()["results"] == first["results"]
    by_offset = client.get("/api/v1/entries?limit=1&offset=1").json()
    assert by_offset["results"] == second["results"] and f"before={ids[1]}" in by_offset["previous"]
    beyond = client.get("/api/v1/entries?offset=50").json()
    assert beyond["results"] == [] and beyond["count"] == 2 and "offset=30" in beyond["previous"]


def test_projects_organisations_and_taxonomy(client, catalog):
    projects = client.get("/api/v1/projects").json()
    assert {p["slug"] for p in projects["results"]} == {"sisu", "toinen-hanke"}  # not the draft project
    sisu = client.get(f"/api/v1/projects/{catalog['project'].pk}").json()
    assert sisu["ends_on"] == "2017-12" and sisu["scope"] == "national" and sisu["entry_count"] == 1
    assert client.get(f"/api/v1/projects/{catalog['draft_project'].pk}").status_code == 404
    assert client.get("/api/v1/projects?scope=regional").json()["count"] == 0

    organisations = client.get("/api/v1/organisations").json()
    assert organisations["count"] == 2  # leads of the two published projects only

    themes = client.get("/api/v1/themes").json()
    counts = {t["code"]: (t["model_count"], t["good_practice_count"]) for t in themes}
    assert counts["A"] == (1, 1) and counts["B"] == (0, 1)
    assert client.get("/api/v1/subthemes?theme=B").json()["count"] == 1
    assert [p["code"] for p in client.get("/api/v1/periods").json()] == ["2019-2021", "2015-2019"]  # by id
    keywords = {k["slug"]: k["entry_count"] for k in client.get("/api/v1/keywords").json()["results"]}
    assert keywords == {"sujuvat-siirtymat": 2, "ohjaus": 1}  # the draft's keyword use is not counted
    keyword = client.get(f"/api/v1/keywords/{catalog['keyword'].pk}").json()
    assert keyword["name"] == "sujuvat siirtymät"


def test_output_holds_nothing_personal(client, catalog, contributor):
    text = (
        client.get("/api/v1/entries?limit=100").content.decode()
        + client.get("/api/v1/projects").content.decode()
    )
    assert contributor.email not in text
    assert "owner" not in text and "members" not in text


def test_list_cost_does_not_grow_with_the_page(client, catalog, django_assert_max_num_queries):
    for _ in range(10):
        extra = type(catalog["practice"]).objects.get(pk=catalog["practice"].pk)
        extra.pk = None
        extra.slug = f"{extra.slug}-{_}"
        extra.save()
    # 13: the catalog's last change is read once per catalog version too (the list's Last-Modified).
    # 14: the page's ids are read first, then only the entries not kept as JSON (api/entry_json.py):
    # here none is kept yet (a kept page is its ids only: test_entry_json.py).
    with django_assert_max_num_queries(14):
        response = client.get("/api/v1/entries?limit=100")
    assert response.json()["count"] == 12


def test_search_is_finnish_aware_like_the_site(client, catalog):
    # An inflected form finds the base form (Voikko lemmatisation in methodbank.search).
    catalog["practice"].summary = "Opiskelijoiden uraohjaus ja vertaistuki."
    catalog["practice"].save()
    response = client.get("/api/v1/entries?q=opiskelija")
    assert catalog["practice"].pk in _ids(response)


def test_models_carry_their_evaluation_outcome_and_can_be_filtered_by_it(client, catalog):
    import datetime

    from methodbank.evaluation.models import ExpertRecommendation, Outcome
    from methodbank.evaluation.tests.factories import EvaluationEventFactory

    model = catalog["model"]
    event = EvaluationEventFactory(models_on_agenda=[model])
    ExpertRecommendation.objects.create(
        event=event,
        practice=model,
        outcome=Outcome.FURTHER_DEVELOPMENT,
        rationale="Tarvitsee mittarit.",
        decided_on=datetime.date(2026, 11, 30),
        evaluated_lock_version=model.lock_version,
        evaluated_updated_at=model.updated_at,
        evaluated_snapshot={},
    )
    body = client.get(f"/api/v1/entries/{model.pk}").json()
    assert body["evaluation"]["status"] == "further_development"
    assert body["evaluation"]["rationale"] == "Tarvitsee mittarit."
    assert body["evaluation"]["date"] == "2026-11-30"
    assert client.get(f"/api/v1/entries/{catalog['practice'].pk}").json()["evaluation"] is None

    assert _ids(client.get("/api/v1/entries?evaluation=further_development")) == [model.pk]
    assert _ids(client.get("/api/v1/entries?evaluation=recommended")) == []
    bad = client.get("/api/v1/entries?evaluation=excellent")
    assert bad.status_code == 400 and "evaluation" in bad.content.decode()


def test_search_with_a_filter_ranks_the_filtered_entries_when_the_search_is_capped(client, settings):
    """More entries match than the search ranks (two here): the project filter must still find its
    entry, which is not among the best two overall."""
    from methodbank.catalog.tests.factories import PracticeFactory

    settings.SEARCH_CANDIDATE_LIMIT = 2
    for n in range(4):
        PracticeFactory(title=f"Ohjaus {n}", summary="Ohjaus, ohjaus ja ohjauksen malli.")
    weak = PracticeFactory(title="Kulttuurityö", summary="Romanit ja ohjaus koulutukseen.")
    assert weak.pk not in _ids(client.get("/api/v1/entries?q=ohjaus"))
    response = client.get("/api/v1/entries", {"q": "ohjaus", "project": weak.project.slug})
    assert _ids(response) == [weak.pk]
    assert response.json()["count"] == 1


def test_models_carry_their_approved_adoptions_by_region(client, catalog):
    import datetime

    from django.utils import timezone

    from methodbank.catalog.models import Adoption, AdoptionStatus
    from methodbank.catalog.tests.factories import AdoptionFactory

    model = catalog["model"]
    url = f"/api/v1/entries/{model.pk}"
    assert client.get(url).json()["adoptions"] == {"organisations": 0, "regions": []}
    before = client.get(url)["Last-Modified"]
    AdoptionFactory(model=model, organisation="Omnia", municipality="049")  # Espoo, Uusimaa
    AdoptionFactory(model=model, organisation="Osao", municipality="564")  # Oulu, Pohjois-Pohjanmaa
    AdoptionFactory(model=model, organisation="Sedu", municipality="743", status=AdoptionStatus.PENDING)
    # An approval a minute later is a change of the model's data: a cached copy is stale.
    Adoption.objects.update(updated_at=timezone.now() + datetime.timedelta(minutes=1))
    response = client.get(url)
    assert response["Last-Modified"] != before
    adoptions = response.json()["adoptions"]
    assert adoptions["organisations"] == 2
    assert [(r["code"], r["names"]["fi"], r["count"]) for r in adoptions["regions"]] == [
        ("01", "Uusimaa", 1), ("17", "Pohjois-Pohjanmaa", 1),
    ]
    listed = {item["id"]: item["adoptions"] for item in client.get("/api/v1/entries").json()["results"]}
    assert listed[model.pk]["organisations"] == 2
    assert listed[catalog["practice"].pk] is None  # good practices are not adopted, models are
