"""Anonymous clients are rate-limited; a token holder is counted separately."""

import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_client_gets_429_with_retry_after(client, catalog, settings):
    settings.API_THROTTLE_ANON_RATE = "3/min"
    statuses = [client.get("/api/v1/themes").status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    response = client.get("/api/v1/entries")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    retry_after = int(response["Retry-After"])
    assert 0 < retry_after <= 60
    assert str(retry_after) in response.json()["detail"]


def test_token_requests_do_not_use_the_anonymous_quota(client, catalog, settings, contributor_token):
    settings.API_THROTTLE_ANON_RATE = "1/min"
    assert client.get("/api/v1/themes").status_code == 200
    assert client.get("/api/v1/themes").status_code == 429
    auth = {"HTTP_AUTHORIZATION": f"Bearer {contributor_token}"}
    assert client.get("/api/v1/me", **auth).status_code == 200
    assert client.get("/api/v1/me/entries", **auth).status_code == 200


def test_rate_limit_can_be_turned_off(client, catalog, settings):
    settings.API_THROTTLE_ANON_RATE = ""
    assert all(client.get("/api/v1/themes").status_code == 200 for _ in range(20))


def test_forged_forwarded_for_does_not_dodge_the_limit(client, catalog, settings):
    settings.API_THROTTLE_ANON_RATE = "2/min"
    statuses = [
        client.get("/api/v1/themes", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(3)
    ]
    assert statuses == [200, 200, 429]
