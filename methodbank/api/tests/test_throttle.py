"""Anonymous clients are rate-limited; a token holder is counted separately."""

import pytest
from django.core.cache import cache

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


def test_a_token_on_read_endpoints_gets_the_token_rate_not_the_anonymous_one(client, catalog, settings,
                                                                              contributor_token):
    """The 429 tells anonymous clients to use a token; a token must then actually lift them out of
    the anonymous quota on the public read endpoints too."""
    settings.API_THROTTLE_ANON_RATE = "2/min"
    settings.API_THROTTLE_TOKEN_RATE = "4/min"
    auth = {"HTTP_AUTHORIZATION": f"Bearer {contributor_token}"}
    statuses = [client.get("/api/v1/entries", **auth).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    limited = client.get("/api/v1/themes", **auth)
    assert limited.status_code == 429
    assert "token" in limited.json()["detail"] and "Anonymous" not in limited.json()["detail"]
    # The token's requests did not use up the address's anonymous quota.
    assert [client.get("/api/v1/themes").status_code for _ in range(3)] == [200, 200, 429]


def test_a_revoked_or_unknown_token_on_read_endpoints_counts_as_anonymous(client, catalog, settings,
                                                                           contributor, contributor_token):
    from methodbank.api.models import ApiToken
    from methodbank.api.services import api_token_revoke

    settings.API_THROTTLE_ANON_RATE = "2/min"
    api_token_revoke(token=ApiToken.objects.get(user=contributor), by=contributor)
    for header in (f"Bearer {contributor_token}", "Bearer mbk_made-up"):
        cache.clear()
        statuses = [client.get("/api/v1/themes", HTTP_AUTHORIZATION=header).status_code for _ in range(3)]
        assert statuses == [200, 200, 429], header
