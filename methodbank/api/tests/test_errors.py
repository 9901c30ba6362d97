"""Errors are RFC 9457 problem details; a bad parameter is a 400 that names it, never a 500."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/entries?limit=0", "limit"),
        ("/api/v1/entries?limit=101", "limit"),
        ("/api/v1/entries?limit=many", "limit"),
        ("/api/v1/entries?offset=-1", "offset"),
        ("/api/v1/entries?kind=malli", "kind"),
        ("/api/v1/entries?theme=Z", "theme"),
        ("/api/v1/entries?theme=%00", "theme"),
        ("/api/v1/entries?subtheme=no-such-subtheme", "subtheme"),
        ("/api/v1/entries?subtheme=tyoelamayhteistyo&theme=A", "subtheme"),
        ("/api/v1/entries?period=1999", "period"),
        ("/api/v1/entries?project=luonnoshanke", "project"),  # a draft project is not public
        ("/api/v1/entries?keyword=ei-ole", "keyword"),
        ("/api/v1/entries?q=a%00b", "q"),
        ("/api/v1/entries/abc", "id"),
        ("/api/v1/entries/0", "id"),
        ("/api/v1/entries/99999999999999999999999", "id"),
        ("/api/v1/projects?scope=local", "scope"),
        ("/api/v1/subthemes?theme=Q", "theme"),
    ],
)
def test_bad_parameter_is_a_400_naming_it(client, catalog, url, parameter):
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 400
    assert body["instance"].startswith("/api/v1/")
    assert [error["name"] for error in body["errors"]] == [parameter]
    assert f"'{parameter}'" in body["detail"]
    assert set(body) >= {"type", "title", "status", "detail", "instance"}


def test_unknown_id_and_unknown_address_are_404_problems(client, catalog):
    for url in [
        "/api/v1/entries/987654",
        "/api/v1/themes/987654",
        "/api/v1/nothing-here",
        "/api/dumps/secrets.txt",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["title"] == "Not found"


def test_write_without_token_is_a_401_problem(client, catalog):
    response = client.post("/api/v1/me/entries", {}, content_type="application/json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["type"].endswith("authentication-required")


def test_malformed_json_body_is_a_400_naming_the_body(client, contributor_token):
    response = client.post(
        "/api/v1/me/entries",
        "{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {contributor_token}",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["name"] == "body"


def test_wrong_method_is_a_405_problem(client, catalog):
    response = client.delete("/api/v1/entries")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    assert "GET" in response["Allow"]
