"""The OpenAPI 3 schema at /api/schema and the docs at /api/docs."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/schema")
    assert response.status_code == 200
    return response.json()


def _properties(schema):
    for name, component in schema["components"]["schemas"].items():
        for prop, spec in component.get("properties", {}).items():
            yield name, prop, spec


def test_schema_is_openapi_3_and_covers_every_resource(schema):
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    for resource in ["entries", "projects", "organisations", "themes", "subthemes", "periods", "keywords"]:
        assert f"/api/v1/{resource}" in paths and f"/api/v1/{resource}/{{id}}" in paths
    assert {"/api/v1/me/entries", "/api/v1/me/entries/{id}", "/api/v1/me/entries/{id}/submit"} <= paths


def test_every_field_and_parameter_is_described(schema):
    undescribed = [
        f"{name}.{prop}" for name, prop, spec in _properties(schema) if not spec.get("description")
    ]
    assert undescribed == []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                assert parameter.get("description"), (path, method, parameter["name"])


def test_every_operation_states_its_permission_and_errors(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            assert "**Permission:**" in operation["description"], (path, method)
            responses = operation["responses"]
            assert "429" in responses
            for status, response in responses.items():
                if int(status) >= 400:
                    assert list(response["content"]) == ["application/problem+json"], (path, status)
                    assert response["content"]["application/problem+json"]["schema"]["$ref"].endswith(
                        "/Problem"
                    )
            if path.startswith("/api/v1/me"):
                assert operation["security"] == [{"ApiTokenAuth": []}]
                assert "401" in responses
            else:
                assert "security" not in operation
    write = schema["paths"]["/api/v1/me/entries/{id}"]["put"]["responses"]
    assert {"400", "401", "403", "404", "409", "429"} <= set(write)
    assert schema["components"]["securitySchemes"]["ApiTokenAuth"]["scheme"] == "bearer"


def test_docs_load_swagger_ui_from_local_static_files(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/api/schema" in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, html
    for asset in assets:
        assert asset.startswith("/static/"), asset  # no CDN
        assert finders.find(asset.removeprefix("/static/")), asset


def test_api_index_links_everything(client):
    body = client.get("/api/").json()
    assert body["schema"].endswith("/api/schema") and body["docs"].endswith("/api/docs")
    assert body["dumps"]["entries.csv"].endswith("/api/dumps/entries.csv")
