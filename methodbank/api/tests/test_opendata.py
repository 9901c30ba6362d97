"""Bulk open data: the dumps hold exactly the published entries and projects, nothing personal,
with the licence; they are rebuilt when content is published."""

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from methodbank.api.opendata import dump_directory, open_data_build
from methodbank.catalog.models import Practice
from methodbank.contributions.services import practice_publish, practice_submit

pytestmark = pytest.mark.django_db


def _get(client, name):
    response = client.get(f"/api/dumps/{name}")
    assert response.status_code == 200, name
    return response, b"".join(response.streaming_content).decode("utf-8")


def test_dumps_hold_exactly_the_published_entries_and_nothing_personal(
    client, catalog, contributor, settings
):
    catalog["model"].contacts = "Hankkeen yhteystiedot hankkeen sivuilla."
    catalog["model"].save()
    open_data_build()
    published = sorted([catalog["model"].pk, catalog["practice"].pk])

    response, text = _get(client, "entries.json")
    data = json.loads(text)
    assert sorted(row["id"] for row in data["entries"]) == published
    assert data["count"] == 2
    assert data["licence"] == {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
    assert 'rel="license"' in response["Link"] and settings.OPEN_DATA_LICENCE_URL in response["Link"]
    assert response["Content-Type"] == "application/json; charset=utf-8"

    response, text = _get(client, "entries.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert sorted(int(row["id"]) for row in rows) == published

    everything = text + json.dumps(data, ensure_ascii=False)
    for secret in ["Salainen luonnos", "Odottaa moderointia", "Luonnoshanke", contributor.email, "pw-"]:
        assert secret not in everything
    for field in ["owner", "members", "email", "lock_version", "status"]:
        assert field not in data["entries"][0]

    _response, text = _get(client, "projects.json")
    projects = json.loads(text)
    assert {p["slug"] for p in projects["projects"]} == {"sisu", "toinen-hanke"}
    assert projects["licence"]["name"] == "CC BY 4.0"
    _response, text = _get(client, "projects.csv")
    assert len(list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))) == 2

    _response, text = _get(client, "datapackage.json")
    package = json.loads(text)
    assert package["licenses"][0]["name"] == "CC BY 4.0"
    assert {r["path"] for r in package["resources"]} == {
        "entries.json", "entries.csv", "entries.xlsx", "projects.json", "projects.csv", "projects.xlsx"}


def test_licence_is_configurable(client, catalog, settings):
    settings.OPEN_DATA_LICENCE = "CC0 1.0"
    settings.OPEN_DATA_LICENCE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"
    open_data_build()
    response, text = _get(client, "entries.json")
    assert json.loads(text)["licence"]["name"] == "CC0 1.0"
    assert "publicdomain/zero" in response["Link"]


def test_dump_is_built_on_first_request_and_supports_if_modified_since(client, catalog):
    assert not (dump_directory() / "entries.json").exists()
    response, _text = _get(client, "entries.json")
    assert (dump_directory() / "entries.json").exists()
    again = client.get("/api/dumps/entries.json", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304


def test_publishing_rebuilds_the_dumps(
    catalog, contributor, coordinator, settings, django_capture_on_commit_callbacks
):
    settings.OPEN_DATA_REBUILD_ON_PUBLISH = True
    open_data_build()
    draft = catalog["draft"]
    draft.goal_and_target_group = "Tavoite."
    draft.content_and_actions = "Sisältö."
    draft.save()
    practice_submit(practice=draft, by=contributor)
    path = dump_directory() / "entries.json"
    assert draft.pk not in [row["id"] for row in json.loads(path.read_text())["entries"]]

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        practice_publish(practice=Practice.objects.get(pk=draft.pk), by=coordinator)
    # Several saves in one transaction schedule one rebuild.
    assert sum(1 for c in callbacks if getattr(c, "__name__", "") == "_rebuild_logged") == 1
    assert draft.pk in [row["id"] for row in json.loads(path.read_text())["entries"]]
    # No temporary files are left behind.
    assert not [p for p in Path(dump_directory()).iterdir() if p.name.startswith(".")]


def test_no_rebuild_when_turned_off(catalog, settings, django_capture_on_commit_callbacks):
    settings.OPEN_DATA_REBUILD_ON_PUBLISH = False
    with django_capture_on_commit_callbacks(execute=True):
        catalog["model"].save()
    assert not (dump_directory() / "entries.json").exists()


def test_management_command(catalog, capsys):
    call_command("build_open_data")
    assert "2 entries and 2 projects" in capsys.readouterr().out
    for name in ["entries.json", "entries.csv", "projects.json", "projects.csv", "datapackage.json"]:
        assert (dump_directory() / name).exists()


def test_open_data_page_include_links_the_api_and_the_dumps(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    request = rf.get("/fi/avoin-data/")
    request.user = AnonymousUser()
    html = render_to_string("api/_open_data_info.html", {"user": request.user}, request=request)
    for address in [
        "/api/docs",
        "/api/schema",
        "/api/dumps/entries.json",
        "/api/dumps/entries.csv",
        "/api/dumps/projects.json",
        "/api/dumps/projects.csv",
        "/api/dumps/datapackage.json",
    ]:
        assert f'href="{address}"' in html


def test_dumps_carry_the_languages_and_datapackage_documents_every_csv_column(client, catalog):
    from methodbank.catalog.tests.factories import PracticeTranslationFactory, ProjectTranslationFactory

    theme = catalog["theme_a"]
    theme.name_sv, theme.name_en = "Smidig övergång till utbildning", "Smooth transition into education"
    theme.save()
    PracticeTranslationFactory(practice=catalog["model"], language="sv", title="Ohjaamo-modellen")
    ProjectTranslationFactory(project=catalog["project"], language="en", name="Smooth transitions (SISU)")
    open_data_build()

    entries = {row["slug"]: row for row in json.loads(_get(client, "entries.json")[1])["entries"]}
    model = entries["ohjaamomalli"]
    assert model["translations"][0]["title"] == "Ohjaamo-modellen"
    assert model["placements"][0]["theme_names"]["sv"] == "Smidig övergång till utbildning"
    assert model["project_names"]["en"] == "Smooth transitions (SISU)"
    rows = list(csv.DictReader(io.StringIO(_get(client, "entries.csv")[1].lstrip("\ufeff"))))
    row = next(r for r in rows if r["slug"] == "ohjaamomalli")
    assert row["title_sv"] == "Ohjaamo-modellen" and row["project_en"] == "Smooth transitions (SISU)"
    projects = list(csv.DictReader(io.StringIO(_get(client, "projects.csv")[1].lstrip("\ufeff"))))
    assert next(p for p in projects if p["slug"] == "sisu")["name_en"] == "Smooth transitions (SISU)"

    package = json.loads(_get(client, "datapackage.json")[1])
    for what, header in [("entries", rows[0].keys()), ("projects", projects[0].keys())]:
        resource = next(r for r in package["resources"] if r["name"] == f"{what}-csv")
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == list(header)
        assert all(f["description"] and f["type"] in {"string", "integer", "datetime"} for f in fields)
    entry_fields = {
        f["name"]: f["description"]
        for f in next(r for r in package["resources"] if r["name"] == "entries-csv")["schema"]["fields"]
    }
    assert entry_fields["title_sv"].startswith("Name of the entry translated into Swedish")
    assert "Goal and target group" in entry_fields["goal_and_target_group_en"]


def test_dumps_carry_the_adoptions_of_each_model(client, catalog):
    from methodbank.catalog.models import AdoptionStatus
    from methodbank.catalog.tests.factories import AdoptionFactory

    model = catalog["model"]
    AdoptionFactory(model=model, organisation="Omnia", municipality="049")  # Espoo, Uusimaa
    AdoptionFactory(model=model, organisation="omnia", municipality="091")  # the same organisation
    AdoptionFactory(model=model, organisation="Osao", municipality="564")  # Oulu, Pohjois-Pohjanmaa
    AdoptionFactory(model=model, organisation="Sedu", municipality="743", status=AdoptionStatus.WITHDRAWN)
    open_data_build()

    rows = {row["id"]: row for row in json.loads(_get(client, "entries.json")[1])["entries"]}
    assert rows[model.pk]["adoptions"] == 2
    assert [(r["code"], r["name"], r["count"]) for r in rows[model.pk]["adoption_regions"]] == [
        ("01", "Uusimaa", 1), ("17", "Pohjois-Pohjanmaa", 1),
    ]
    assert rows[catalog["practice"].pk]["adoptions"] is None

    reader = csv.DictReader(io.StringIO(_get(client, "entries.csv")[1].lstrip("\ufeff")))
    flat = {int(row["id"]): row for row in reader}
    assert flat[model.pk]["adoptions"] == "2"
    assert flat[model.pk]["adoption_regions"] == "01 Uusimaa: 1 | 17 Pohjois-Pohjanmaa: 1"
    assert flat[catalog["practice"].pk]["adoptions"] == ""
    package = json.loads(_get(client, "datapackage.json")[1])
    fields = {f["name"]: f for r in package["resources"] if r["name"] == "entries-csv" for f in r["schema"]["fields"]}
    assert fields["adoptions"]["type"] == "integer"
