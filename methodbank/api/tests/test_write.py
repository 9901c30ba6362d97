"""The write API follows the site's permissions and workflow (through the same services)."""

import pytest

from methodbank.api.models import ApiToken
from methodbank.catalog.models import Practice, PublicationStatus
from methodbank.contributions.services import practice_publish

pytestmark = pytest.mark.django_db


def auth(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def draft_body(**overrides):
    body = {
        "kind": "good_practice",
        "title": "Uraohjauksen vertaisryhmä",
        "summary": "Vertaisryhmä opiskelijoille.",
        "placements": [{"theme": "A", "period": "2019-2021"}],
        "keywords": ["sujuvat siirtymät", "vertaistuki"],
        "links": [{"url": "https://example.org/opas", "title": "Opas"}],
    }
    body.update(overrides)
    return body


def test_contributor_creates_updates_and_submits_a_draft(client, catalog, contributor, contributor_token):
    created = client.post(
        "/api/v1/me/entries",
        draft_body(project=catalog["project"].pk),
        content_type="application/json",
        **auth(contributor_token),
    )
    assert created.status_code == 201, created.content
    entry = created.json()
    assert entry["status"] == "draft"
    practice = Practice.objects.get(pk=entry["id"])
    assert practice.owner == contributor and practice.project == catalog["project"]
    assert practice.keywords.get(name="vertaistuki").approved is False  # a new keyword waits for moderation
    # Drafts are not public.
    assert client.get(f"/api/v1/entries/{practice.pk}").status_code == 404
    assert {gap["name"] for gap in entry["missing_for_submission"]} == {
        "goal_and_target_group",
        "content_and_actions",
    }

    too_early = client.post(f"/api/v1/me/entries/{practice.pk}/submit", **auth(contributor_token))
    assert too_early.status_code == 400
    assert {e["name"] for e in too_early.json()["errors"]} == {"goal_and_target_group", "content_and_actions"}

    updated = client.put(
        f"/api/v1/me/entries/{practice.pk}",
        draft_body(
            goal_and_target_group="Toisen asteen opiskelijat.",
            content_and_actions="Ryhmä kokoontuu.",
            lock_version=entry["lock_version"],
        ),
        content_type="application/json",
        **auth(contributor_token),
    )
    assert updated.status_code == 200, updated.content
    assert updated.json()["missing_for_submission"] == []

    submitted = client.post(f"/api/v1/me/entries/{practice.pk}/submit", **auth(contributor_token))
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "submitted"
    again = client.post(f"/api/v1/me/entries/{practice.pk}/submit", **auth(contributor_token))
    assert again.status_code == 409
    assert again.json()["type"].endswith("workflow")


def test_another_users_draft_is_not_found(client, catalog, other_token):
    draft = catalog["draft"]
    assert client.get(f"/api/v1/me/entries/{draft.pk}", **auth(other_token)).status_code == 404
    response = client.put(
        f"/api/v1/me/entries/{draft.pk}",
        draft_body(lock_version=draft.lock_version),
        content_type="application/json",
        **auth(other_token),
    )
    assert response.status_code == 404
    assert client.post(f"/api/v1/me/entries/{draft.pk}/submit", **auth(other_token)).status_code == 404
    draft.refresh_from_db()
    assert draft.title == "Salainen luonnos" and draft.status == PublicationStatus.DRAFT
    listed = client.get("/api/v1/me/entries", **auth(other_token)).json()
    assert listed["count"] == 0


def test_a_revoked_token_is_401(client, catalog, contributor, contributor_token):
    ApiToken.objects.filter(user=contributor).update(revoked_at="2026-01-01T00:00:00Z")
    response = client.post(
        "/api/v1/me/entries", draft_body(), content_type="application/json", **auth(contributor_token)
    )
    assert response.status_code == 401
    assert not Practice.objects.filter(title="Uraohjauksen vertaisryhmä").exists()


def test_updating_a_published_entry_makes_a_revision_and_keeps_the_public_one(
    client, catalog, contributor_token
):
    model = catalog["model"]  # published, owned by the contributor
    response = client.put(
        f"/api/v1/me/entries/{model.pk}",
        draft_body(
            kind="model",
            title="Ohjaamomalli 2.0",
            lock_version=model.lock_version,
            placements=[{"theme": "A", "subtheme": catalog["sub_a"].pk, "period": "2019-2021"}],
        ),
        content_type="application/json",
        **auth(contributor_token),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "published"
    assert body["workflow_status"] == "draft"  # a revision draft waits for submission and moderation
    assert body["content"]["title"] == "Ohjaamomalli 2.0"
    # The public API still shows the published content.
    assert client.get(f"/api/v1/entries/{model.pk}").json()["title"] == "Ohjaamomalli"


def test_stale_lock_version_is_a_409_and_overwrites_nothing(client, catalog, contributor_token):
    draft = catalog["draft"]
    first = client.put(
        f"/api/v1/me/entries/{draft.pk}",
        draft_body(title="Ensimmäinen", lock_version=0),
        content_type="application/json",
        **auth(contributor_token),
    )
    assert first.status_code == 200
    stale = client.put(
        f"/api/v1/me/entries/{draft.pk}",
        draft_body(title="Toinen", lock_version=0),
        content_type="application/json",
        **auth(contributor_token),
    )
    assert stale.status_code == 409
    assert "lock_version is now 1" in stale.json()["detail"]
    draft.refresh_from_db()
    assert draft.title == "Ensimmäinen"


def test_choices_follow_the_sites_rules(client, catalog, other_token):
    # Only projects of your own teams; only published models; subthemes of the chosen theme.
    response = client.post(
        "/api/v1/me/entries",
        draft_body(
            project=catalog["project"].pk,
            applies_model=catalog["draft"].pk,
            placements=[{"theme": "B", "subtheme": catalog["sub_a"].pk}, {"theme": "X"}],
        ),
        content_type="application/json",
        **auth(other_token),
    )
    assert response.status_code == 400
    names = {error["name"] for error in response.json()["errors"]}
    assert names == {"project", "applies_model", "placements[0].subtheme", "placements[1].theme"}


def test_coordinator_can_edit_any_entry(client, catalog, coordinator_token):
    draft = catalog["draft"]
    response = client.put(
        f"/api/v1/me/entries/{draft.pk}",
        draft_body(title="Korjattu", lock_version=0),
        content_type="application/json",
        **auth(coordinator_token),
    )
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert draft.title == "Korjattu"


def test_published_after_moderation_shows_in_read_api(client, catalog, contributor_token, coordinator):
    created = client.post(
        "/api/v1/me/entries",
        draft_body(goal_and_target_group="Opiskelijat.", content_and_actions="Tapaamiset."),
        content_type="application/json",
        **auth(contributor_token),
    ).json()
    client.post(f"/api/v1/me/entries/{created['id']}/submit", **auth(contributor_token))
    practice_publish(practice=Practice.objects.get(pk=created["id"]), by=coordinator)
    public = client.get(f"/api/v1/entries/{created['id']}")
    assert public.status_code == 200
    assert public.json()["title"] == "Uraohjauksen vertaisryhmä"


def test_the_single_entry_answers_name_similar_published_entries_and_the_list_does_not(
    client, catalog, contributor, contributor_token, django_capture_on_commit_callbacks
):
    from methodbank.catalog.tests.factories import PracticeFactory

    with django_capture_on_commit_callbacks(execute=True):
        existing = PracticeFactory(
            title="Kesäkoulu perusopetuksesta ammatilliseen siirtyville",
            summary="Kesäkoulu tutustuttaa nuoret ammatilliseen koulutukseen ennen opintojen alkua.",
            kind="model", status=PublicationStatus.PUBLISHED,
        )
        PracticeFactory(title="Työpajan mentorointi", summary="Mentorit tukevat nuoria työpajalla.",
                        status=PublicationStatus.PUBLISHED)
        created = client.post(
            "/api/v1/me/entries",
            draft_body(title="Kesäkoulu perusopetuksesta ammatilliseen siirtyville",
                       summary="Kesäkoulu tutustuttaa nuoret ammatilliseen koulutukseen ennen opintoja."),
            content_type="application/json", **auth(contributor_token),
        ).json()
    assert [ref["id"] for ref in created["similar_entries"]][:1] == [existing.pk]
    assert created["similar_entries"][0] == {"id": existing.pk, "slug": existing.slug, "title": existing.title,
                                             "kind": "model"}
    detail = client.get(f"/api/v1/me/entries/{created['id']}", **auth(contributor_token)).json()
    assert existing.pk in [ref["id"] for ref in detail["similar_entries"]]
    assert client.get("/api/v1/me/entries", **auth(contributor_token)).json()["results"][0]["similar_entries"] is None
