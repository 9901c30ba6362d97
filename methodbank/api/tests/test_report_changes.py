"""/api/v1/reports/{slug}/versions/{version}/changes: what's new since a published report, as JSON."""

import pytest

from methodbank.catalog.tests.factories import PlacementFactory, PracticeFactory
from methodbank.reports.tests.factories import published_version, small_catalog, small_report_definition

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(settings):
    settings.SITE_URL = "https://bank.example"
    catalog = small_catalog()
    definition = small_report_definition(catalog)
    published_version(definition)
    return catalog, definition


def _url(slug, version=1):
    return f"/api/v1/reports/{slug}/versions/{version}/changes"


def test_answer_names_added_changed_and_removed_entries_and_every_changed_field(client, report):
    catalog, definition = report
    body = client.get(_url(definition.slug)).json()
    assert body["counts"] == {"added": 0, "changed": 0, "removed": 0}
    assert body["report"]["version"] == 1 and body["report"]["url"].startswith("https://bank.example/")

    model = catalog["model"]
    model.results_and_indicators = "Uudet tulokset."
    model.contacts = "Yhteyshenkilö"
    model.save()
    catalog["newer"].status = "archived"
    catalog["newer"].save()
    added = PracticeFactory(title="Uusi käytäntö", project=catalog["projects"][0])
    PlacementFactory(practice=added, theme=catalog["themes"][1], subtheme=catalog["subthemes"][2],
                     period=catalog["periods"][0])

    response = client.get(_url(definition.slug), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and response["ETag"]
    body = response.json()
    assert body["counts"] == {"added": 1, "changed": 1, "removed": 1}
    assert [(e["id"], e["title"]) for e in body["added"]] == [(added.pk, "Uusi käytäntö")]
    [changed] = body["changed"]
    assert changed["id"] == model.pk and changed["kind"] == "model"
    assert changed["fields"] == [
        {"key": "results_and_indicators", "label": "Results and indicators"},
        {"key": "contacts", "label": "Contacts"},
    ]
    assert [e["title"] for e in body["removed"]] == ["Vertaisryhmät"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        (_url("ei-ole"), 404),
        (_url("{slug}", 2), 404),
        (_url("{slug}", 0), 400),
        (_url("{slug}", 2**40), 400),
        (_url("{slug}", "x"), 400),
        ("/api/v1/reports/%3Cscript%3E/versions/1/changes", 400),
        (_url("a" * 101), 400),
    ],
)
def test_unknown_versions_and_hostile_parameters_are_problems(client, report, path, status):
    _catalog, definition = report
    response = client.get(path.format(slug=definition.slug))
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/problem+json")


def test_schema_documents_the_answer(client):
    schema = client.get("/api/schema").json()
    operation = schema["paths"]["/api/v1/reports/{slug}/versions/{version}/changes"]["get"]
    assert operation["operationId"] == "report_changes"
    assert {"200", "404"} <= set(operation["responses"])
    assert {"report", "counts", "added", "changed", "removed"} <= set(schema["components"]["schemas"]["ReportChangesOut"]["properties"])
