"""The browse values (target group, education level, transition stage) in the API and the open data
dumps: confirmed values only, filters that refuse unknown values, three languages."""

import csv
import io
import json

import pytest

from methodbank.api.opendata import open_data_build
from methodbank.search.models import Concept, FacetAssignment, FacetStatus

pytestmark = pytest.mark.django_db


def _tag(practice, identifier, status=FacetStatus.CONFIRMED):
    FacetAssignment.objects.create(practice=practice, concept=Concept.objects.get(identifier=identifier), status=status)


@pytest.fixture
def tagged(catalog):
    _tag(catalog["model"], "romani")
    _tag(catalog["model"], "perusopetus")
    _tag(catalog["practice"], "romani", FacetStatus.SUGGESTED)
    _tag(catalog["practice"], "koulutukseen-siirtyminen")
    _tag(catalog["draft"], "romani")
    return catalog


def test_entries_carry_their_confirmed_values_in_three_languages(client, tagged):
    entry = client.get(f"/api/v1/entries/{tagged['model'].pk}").json()
    assert entry["target_groups"] == [{"identifier": "romani", "names": {"fi": "romani", "sv": "rom", "en": "Roma"}}]
    assert [v["identifier"] for v in entry["education_levels"]] == ["perusopetus"]
    assert entry["transition_stages"] == []
    other = client.get(f"/api/v1/entries/{tagged['practice'].pk}").json()
    assert other["target_groups"] == []  # only suggested


def test_entries_filter_by_values_and_refuse_unknown_ones(client, tagged):
    def ids(query):
        return [e["id"] for e in client.get(f"/api/v1/entries?{query}").json()["results"]]

    assert ids("target=romani") == [tagged["model"].pk]
    assert ids("stage=koulutukseen-siirtyminen") == [tagged["practice"].pk]
    assert ids("target=romani&stage=koulutukseen-siirtyminen") == []
    for query in ["target=perusopetus", "level=nuori", "target=ei-ole", "target=%27%3B--", "stage=" + "x" * 200]:
        response = client.get(f"/api/v1/entries?{query}")
        assert response.status_code == 400, query
        assert response.json()["errors"][0]["name"] in ("target", "level", "stage")


def test_facet_value_list_counts_published_confirmed_entries(client, tagged):
    values = client.get("/api/v1/facet-values?facet=target").json()
    romani = next(v for v in values if v["identifier"] == "romani")
    assert romani["entry_count"] == 1 and romani["facet"] == "target"
    assert romani["url"].endswith("/fi/selaa/romani/")
    assert {v["facet"] for v in values} == {"target"}
    assert client.get("/api/v1/facet-values?facet=theme").status_code == 400
    assert "/api/v1/facet-values" in client.get("/api/schema").json()["paths"]


def test_dumps_carry_the_confirmed_values(client, tagged):
    open_data_build()
    response = client.get("/api/dumps/entries.json")
    rows = {row["id"]: row for row in json.loads(b"".join(response.streaming_content))["entries"]}
    assert rows[tagged["model"].pk]["target_groups"] == ["romani"]
    assert rows[tagged["model"].pk]["education_levels"] == ["perusopetus"]
    assert rows[tagged["practice"].pk]["target_groups"] == []
    assert rows[tagged["practice"].pk]["transition_stages"] == ["koulutukseen-siirtyminen"]
    text = b"".join(client.get("/api/dumps/entries.csv").streaming_content).decode("utf-8").lstrip("\ufeff")
    csv_rows = {int(r["id"]): r for r in csv.DictReader(io.StringIO(text))}
    assert csv_rows[tagged["model"].pk]["target_groups"] == "romani"
    package = json.loads(b"".join(client.get("/api/dumps/datapackage.json").streaming_content))
    entries_csv = next(r for r in package["resources"] if r["path"] == "entries.csv")
    assert "target_groups" in {f["name"] for f in entries_csv["schema"]["fields"]}
