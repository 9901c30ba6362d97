"""Translations and the names of themes, subthemes and periods in the API: the read API returns them,
the write API accepts them for the contributor's own drafts."""

import pytest

from methodbank.catalog.models import PracticeTranslation
from methodbank.catalog.tests.factories import PracticeTranslationFactory, ProjectTranslationFactory

pytestmark = pytest.mark.django_db


def auth(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_read_api_returns_translations_and_names_in_every_language(client, catalog):
    theme = catalog["theme_a"]
    theme.name_sv, theme.name_en = "Smidig övergång till utbildning", "Smooth transition into education"
    theme.save()
    practice = catalog["practice"]
    PracticeTranslationFactory(
        practice=practice, language="sv", title="Lokal tillämpning", summary="På svenska.", contacts="Kontakt"
    )
    ProjectTranslationFactory(
        project=practice.project, language="en", name="Another project", description="In English."
    )

    body = client.get(f"/api/v1/entries/{practice.pk}").json()
    assert body["translations"] == [
        {
            "language": "sv",
            "title": "Lokal tillämpning",
            "summary": "På svenska.",
            "template": {
                "goal_and_target_group": "",
                "content_and_actions": "",
                "deployment_staff": "",
                "deployment_marketing": "",
                "deployment_materials": "",
                "resources": "",
                "results_and_indicators": "",
                "contacts": "Kontakt",
            },
        }
    ]
    placement = body["placements"][0]
    assert placement["theme"]["names"] == {
        "fi": "Sujuva siirtymä koulutukseen",
        "sv": "Smidig övergång till utbildning",
        "en": "Smooth transition into education",
    }
    # No Swedish or English name: the Finnish one in every language.
    assert placement["subtheme"]["names"] == {
        "fi": "Hakeutumisen ohjaus",
        "sv": "Hakeutumisen ohjaus",
        "en": "Hakeutumisen ohjaus",
    }
    assert set(placement["period"]["names"]) == {"fi", "sv", "en"}

    project = client.get(f"/api/v1/projects/{practice.project.pk}").json()
    assert project["translations"] == [
        {"language": "en", "name": "Another project", "description": "In English."}
    ]
    themes = client.get("/api/v1/themes").json()
    assert themes[0]["names"]["en"] == "Smooth transition into education"


def test_write_api_accepts_and_returns_translations_of_own_drafts(client, catalog, contributor_token):
    body = {
        "kind": "good_practice",
        "title": "Uraohjauksen vertaisryhmä",
        "summary": "Vertaisryhmä.",
        "placements": [{"theme": "A"}],
        "translations": [
            {"language": "sv", "title": "Kamratgrupp för karriärvägledning", "summary": "En grupp."}
        ],
    }
    created = client.post(
        "/api/v1/me/entries", body, content_type="application/json", **auth(contributor_token)
    )
    assert created.status_code == 201, created.content
    entry = created.json()
    assert entry["content"]["translations"][0]["title"] == "Kamratgrupp för karriärvägledning"
    assert PracticeTranslation.objects.get(practice_id=entry["id"]).summary == "En grupp."

    # Left out: the translations stay.
    update = {**body, "summary": "Muutettu.", "lock_version": entry["lock_version"]}
    del update["translations"]
    updated = client.put(
        f"/api/v1/me/entries/{entry['id']}",
        update,
        content_type="application/json",
        **auth(contributor_token),
    )
    assert updated.status_code == 200, updated.content
    assert [t["language"] for t in updated.json()["content"]["translations"]] == ["sv"]

    # Given: they replace the translations (here: English instead of Swedish).
    update = {
        **body,
        "lock_version": updated.json()["lock_version"],
        "translations": [{"language": "en", "title": "Peer group for career guidance"}],
    }
    replaced = client.put(
        f"/api/v1/me/entries/{entry['id']}",
        update,
        content_type="application/json",
        **auth(contributor_token),
    )
    assert replaced.status_code == 200, replaced.content
    assert list(
        PracticeTranslation.objects.filter(practice_id=entry["id"]).values_list("language", flat=True)
    ) == ["en"]
    detail = client.get(f"/api/v1/me/entries/{entry['id']}", **auth(contributor_token)).json()
    assert detail["content"]["translations"][0]["title"] == "Peer group for career guidance"


@pytest.mark.parametrize(
    "translations, name",
    [
        ([{"language": "fi", "title": "Suomeksi"}], "translations[0].language"),  # the entry's own language
        ([{"language": "sv", "title": "A"}, {"language": "sv", "title": "B"}], "translations[1].language"),
    ],
)
def test_write_api_rejects_bad_translations(client, catalog, contributor_token, translations, name):
    body = {
        "kind": "good_practice",
        "title": "Nimi",
        "placements": [{"theme": "A"}],
        "translations": translations,
    }
    response = client.post(
        "/api/v1/me/entries", body, content_type="application/json", **auth(contributor_token)
    )
    assert response.status_code == 400
    assert name in {e["name"] for e in response.json()["errors"]}


def test_write_api_validates_translation_fields(client, catalog, contributor_token):
    body = {"kind": "good_practice", "title": "Nimi", "translations": [{"language": "de", "title": "Name"}]}
    response = client.post(
        "/api/v1/me/entries", body, content_type="application/json", **auth(contributor_token)
    )
    assert response.status_code == 400
    body["translations"] = [{"language": "sv", "title": ""}]
    response = client.post(
        "/api/v1/me/entries", body, content_type="application/json", **auth(contributor_token)
    )
    assert response.status_code == 400


def test_a_swedish_query_finds_a_swedish_translation_with_lang_sv(client, catalog):
    practice = catalog["practice"]
    PracticeTranslationFactory(
        practice=practice,
        language="sv",
        title="Lokal tillämpning",
        summary="Lokala tillämpningar varje vecka.",
    )
    found = client.get("/api/v1/entries", {"q": "tillämpningarna", "lang": "sv"}).json()
    assert [item["id"] for item in found["results"]] == [practice.pk]
    assert found["did_you_mean"] is None
    # Searched in Finnish (the default), a word Voikko does not know is also read as Swedish and
    # English: the Swedish translation is found as it is, with nothing to correct.
    as_finnish = client.get("/api/v1/entries", {"q": "tillämpningarna"}).json()
    assert [item["id"] for item in as_finnish["results"]] == [practice.pk]
    assert as_finnish["did_you_mean"] is None
    assert client.get("/api/v1/entries", {"q": "x", "lang": "de"}).status_code == 400
