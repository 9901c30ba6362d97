"""Retrying a write is safe: one transaction per request, and Idempotency-Key replays the first answer."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from methodbank.api import idempotency, write
from methodbank.api.models import IdempotencyRecord
from methodbank.api.services import token_hash
from methodbank.catalog.models import Practice

pytestmark = pytest.mark.django_db


def post(client, token, body, key=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return client.post("/api/v1/me/entries", body, content_type="application/json", **headers)


BODY = {"kind": "good_practice", "title": "Ohjauksen kahvila"}


def test_a_retry_with_the_same_key_gets_the_first_answer_and_writes_nothing(
    client, catalog, contributor_token
):
    before = Practice.objects.count()
    first = post(client, contributor_token, BODY, key="8d6c0f1e-retry")
    assert first.status_code == 201, first.content
    assert "Idempotent-Replayed" not in first

    again = post(client, contributor_token, BODY, key="8d6c0f1e-retry")
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert Practice.objects.count() == before + 1

    # Without a key every request is a new draft.
    assert post(client, contributor_token, BODY).status_code == 201
    assert Practice.objects.count() == before + 2


def test_a_key_reused_for_another_request_is_refused(client, catalog, contributor_token):
    assert post(client, contributor_token, BODY, key="k-1").status_code == 201
    count = Practice.objects.count()
    response = post(client, contributor_token, {**BODY, "title": "Toinen otsikko"}, key="k-1")
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("idempotency-key-reused")
    assert Practice.objects.count() == count


def test_keys_belong_to_the_token_that_sent_them(client, catalog, contributor_token, other_token):
    mine = post(client, contributor_token, BODY, key="shared-key")
    theirs = post(client, other_token, BODY, key="shared-key")
    assert theirs.status_code == 201 and "Idempotent-Replayed" not in theirs
    assert theirs.json()["id"] != mine.json()["id"]


@pytest.mark.parametrize("key", ["", "x" * 256, "with space", "rivin\nvaihto", "ääkköset"])
def test_a_malformed_key_is_a_400_that_names_the_header(client, catalog, contributor_token, key):
    count = Practice.objects.count()
    response = post(client, contributor_token, BODY, key=key)
    assert response.status_code == 400
    assert response.json()["errors"][0]["name"] == "Idempotency-Key"
    assert Practice.objects.count() == count


def test_an_error_is_not_stored_so_the_fixed_request_can_reuse_the_key(client, catalog, contributor_token):
    bad = post(client, contributor_token, {"kind": "good_practice", "title": ""}, key="fix-me")
    assert bad.status_code == 400
    assert not IdempotencyRecord.objects.exists()
    assert post(client, contributor_token, BODY, key="fix-me").status_code == 201


def test_an_expired_key_can_be_used_again(client, catalog, contributor_token):
    assert post(client, contributor_token, BODY, key="old").status_code == 201
    IdempotencyRecord.objects.update(created_at=timezone.now() - idempotency.RETENTION - timedelta(minutes=1))
    again = post(client, contributor_token, BODY, key="old")
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert IdempotencyRecord.objects.count() == 1  # the expired record made room


def test_a_failure_while_answering_rolls_the_write_back(client, catalog, contributor_token, monkeypatch):
    """The database goes away after the draft is written but before the answer is read: the client
    gets a 503, so the draft must not be there either (before, it was stored but answered 503)."""
    count = Practice.objects.count()

    def lost_connection(pk):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(write, "_fresh", lost_connection)
    response = post(client, contributor_token, BODY, key="lost")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert Practice.objects.count() == count
    assert not IdempotencyRecord.objects.exists()


def test_a_concurrent_request_with_the_same_key_is_undone(client, catalog, contributor_token, monkeypatch):
    """Two attempts with one key both miss the lookup; the one that commits second is rolled back and
    told so (409), leaving one draft."""
    original = write.contribution_services.practice_create
    count = Practice.objects.count()

    def create_while_the_other_attempt_commits(**kwargs):
        practice = original(**kwargs)
        IdempotencyRecord.objects.create(
            scope=token_hash(contributor_token),
            key="race",
            fingerprint="other attempt",
            status=201,
            content_type="application/json",
            body=b"{}",
        )
        return practice

    monkeypatch.setattr(write.contribution_services, "practice_create", create_while_the_other_attempt_commits)
    response = post(client, contributor_token, BODY, key="race")
    assert response.status_code == 409
    assert response.json()["type"].endswith("idempotency-key-in-use")
    # This request's draft and the simulated record went with its transaction.
    assert Practice.objects.count() == count


def test_the_header_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema").json()
    operation = schema["paths"]["/api/v1/me/entries"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in operation["parameters"])
    assert "422" in operation["responses"]


def test_a_revoked_token_cannot_replay_a_stored_answer(client, catalog, contributor, contributor_token):
    """The stored answer holds the new entry's content: once its token is revoked (lost, leaked),
    the key must not hand that answer to whoever still holds the token."""
    from methodbank.api.models import ApiToken
    from methodbank.api.services import api_token_revoke

    first = post(client, contributor_token, BODY, key="leaked-key")
    assert first.status_code == 201
    api_token_revoke(token=ApiToken.objects.get(user=contributor), by=contributor)
    again = post(client, contributor_token, BODY, key="leaked-key")
    assert again.status_code == 401
    assert "Idempotent-Replayed" not in again
    assert again["Content-Type"] == "application/problem+json"
    assert "Ohjauksen kahvila" not in again.content.decode()


def test_an_inactive_accounts_token_cannot_replay_either(client, catalog, contributor, contributor_token):
    assert post(client, contributor_token, BODY, key="k-inactive").status_code == 201
    contributor.is_active = False
    contributor.save(update_fields=["is_active"])
    again = post(client, contributor_token, BODY, key="k-inactive")
    assert again.status_code == 401
    assert "Idempotent-Replayed" not in again
