"""Personal API tokens: created and revoked on the user's own page, shown once, stored as a hash."""

import hashlib
import re

import pytest
from django.urls import reverse

from methodbank.api.models import ApiToken

pytestmark = pytest.mark.django_db

PAGE = "/fi/oma-sivu/api-avaimet/"


def test_page_needs_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_create_shows_token_once_and_stores_only_a_hash(client, contributor):
    client.force_login(contributor)
    response = client.post(PAGE, {"name": "Hankkeen verkkosivu"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    raw = re.search(r'value="(mbk_[^"]+)"', html).group(1)
    token = ApiToken.objects.get(user=contributor)
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in {token.name, token.prefix, token.token_hash}
    assert raw.startswith(token.prefix)
    # The token works for the API, and the page never shows it again.
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").json()["id"] == contributor.pk
    assert raw not in client.get(PAGE).content.decode()
    assert "Hankkeen verkkosivu" in client.get(PAGE).content.decode()


def test_empty_name_is_an_error_tied_to_the_field(client, contributor):
    client.force_login(contributor)
    response = client.post(PAGE, {"name": "   "})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'aria-invalid="true"' in html and "id_name-error" in html
    assert not ApiToken.objects.exists()


def test_revoke_own_token_stops_it_working(client, contributor, contributor_token):
    token = ApiToken.objects.get(user=contributor)
    client.force_login(contributor)
    response = client.post(reverse("apitokens:revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    api = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {contributor_token}")
    assert api.status_code == 401


def test_cannot_see_or_revoke_someone_elses_token(client, contributor, other_user, other_token):
    token = ApiToken.objects.get(user=other_user)
    client.force_login(contributor)
    assert "Toisen avain" not in client.get(PAGE).content.decode()
    assert client.post(reverse("apitokens:revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_last_used_is_recorded(client, contributor, contributor_token):
    assert ApiToken.objects.get(user=contributor).last_used_at is None
    client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {contributor_token}")
    assert ApiToken.objects.get(user=contributor).last_used_at is not None


@pytest.mark.parametrize(
    "header", ["Bearer mbk_not-a-real-token", "Bearer ", "Basic dXNlcjpwdw==", "Bearer x" * 50]
)
def test_unknown_or_malformed_token_is_401(client, catalog, header):
    response = client.get("/api/v1/me/entries", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401


def test_inactive_users_token_is_401(client, contributor, contributor_token):
    contributor.is_active = False
    contributor.save()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {contributor_token}").status_code == 401
