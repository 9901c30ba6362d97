"""Open-data export: the command and the downloads give every published entry and project, nothing else."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from methodbank.catalog import exports
from methodbank.catalog.models import Practice, PracticeTranslation, Project, PublicationStatus

from .factories import (
    KeywordFactory,
    ModelPracticeFactory,
    OldPeriodFactory,
    PlacementFactory,
    PracticeFactory,
    PracticeLinkFactory,
    PracticeTranslationFactory,
    ProjectFactory,
    ProjectTranslationFactory,
    SubthemeFactory,
    catalog_clear,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_catalog(request, db):
    # Factory-built tests start from an empty catalog even after the seed was imported.
    if "seeded_db" not in request.fixturenames:
        catalog_clear()


@pytest.fixture
def catalog(django_user_model):
    owner = django_user_model.objects.create_user(username="owner", email="salainen@example.org", password="x" * 12)
    sub = SubthemeFactory(name="Hakeutumisen ohjauspalvelut")
    project = ProjectFactory(name="Siirtymät sujuviksi (SISU)", short_name="SISU", owner=owner)
    model = ModelPracticeFactory(title="NOPO", project=project, owner=owner)
    PlacementFactory(practice=model, subtheme=sub)
    practice = PracticeFactory(
        title='Käytäntö, jossa "lainausmerkit"', project=project, applies_model=model,
        goal_and_target_group="Rivi 1\nRivi 2", keywords=[KeywordFactory(name="sujuvat siirtymät")], owner=owner,
    )
    PlacementFactory(practice=practice, subtheme=sub)
    PlacementFactory(practice=practice, subtheme=SubthemeFactory(theme=sub.theme), period=OldPeriodFactory())
    PracticeLinkFactory(practice=practice, url="https://example.org/a")
    PracticeFactory(title="Luonnos", status=PublicationStatus.DRAFT, project=project)
    ProjectFactory(name="Luonnoshanke", status=PublicationStatus.DRAFT)
    return {"project": project, "model": model, "practice": practice}


def _command(*args):
    out = io.StringIO()
    call_command("export_catalog", *args, stdout=out)
    return out.getvalue()


def test_json_export_round_trip_matches_the_published_catalog(catalog):
    data = json.loads(_command("--format", "json"))
    published = Practice.objects.filter(status=PublicationStatus.PUBLISHED)
    assert sorted(row["slug"] for row in data) == sorted(published.values_list("slug", flat=True))
    for row in data:
        entry = published.get(pk=row["id"])
        assert row["title"] == entry.title and row["kind"] == entry.kind
        assert row["project"] == entry.project.name
        assert sorted((p["theme_code"], p["subtheme"], p["period"]) for p in row["placements"]) == sorted(
            (p.theme.code, p.subtheme.name if p.subtheme else "", p.period.name if p.period else "")
            for p in entry.placements.all()
        )
        for name, _heading in Practice.TEMPLATE_FIELDS:
            assert row[name] == getattr(entry, name)
    practice = next(r for r in data if r["id"] == catalog["practice"].pk)
    assert practice["applies_model_slug"] == catalog["model"].slug
    assert practice["keywords"] == ["sujuvat siirtymät"]
    assert practice["links"] == [{"url": "https://example.org/a", "title": "Materiaali"}]
    assert practice["url"].endswith(f"/fi/menetelmat/{catalog['practice'].slug}/")
    assert len(practice["placements"]) == 2


def test_export_holds_nothing_personal_and_no_drafts(catalog):
    for what in ("entries", "projects"):
        text = _command("--format", "json", "--what", what)
        assert "salainen@example.org" not in text and "owner" not in text
        assert "Luonnos" not in text


def test_csv_parses_back_to_the_same_rows_as_json(catalog):
    rows_json = json.loads(_command("--format", "json"))
    text = _command("--format", "csv")
    assert text.startswith("\ufeff")
    rows_csv = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows_csv) == len(rows_json)
    for flat, row in zip(rows_csv, rows_json, strict=True):
        assert flat == {k: str(v) for k, v in exports.flatten_row(row, exports.csv_columns("entries")).items()}
    practice = next(r for r in rows_csv if r["id"] == str(catalog["practice"].pk))
    assert practice["goal_and_target_group"] == "Rivi 1\nRivi 2"
    theme = catalog["practice"].placements.first().theme.code
    assert practice["placements"].count(" | ") == 1
    assert practice["placements"].startswith(f"{theme} / ")


def test_project_export(catalog):
    data = json.loads(_command("--format", "json", "--what", "projects"))
    assert [row["name"] for row in data] == list(
        Project.objects.filter(status=PublicationStatus.PUBLISHED).order_by("name").values_list("name", flat=True)
    )
    sisu = next(row for row in data if row["short_name"] == "SISU")
    assert sisu["ends_on"] == "12/2017"
    assert sisu["lead"] == catalog["project"].lead.name
    assert sisu["scope"] == "national"
    rows = list(csv.DictReader(io.StringIO(_command("--format", "csv", "--what", "projects").lstrip("\ufeff"))))
    assert [r["name"] for r in rows] == [r["name"] for r in data]


def test_export_to_file(catalog, tmp_path):
    target = tmp_path / "entries.csv"
    call_command("export_catalog", "--format", "csv", "--out", str(target), verbosity=0)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert "Käytäntö".encode() in raw


@pytest.mark.parametrize(
    "args, message",
    [
        (["--format", "xml"], "Unknown --format"),
        (["--format", "json", "--what", "people"], "Unknown --what"),
        (["--format", "json", "--out", "/nonexistent-dir/x.json"], "Cannot write"),
    ],
)
def test_bad_arguments_give_a_clear_error(catalog, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("export_catalog", *args)


def test_empty_catalog_exports_an_empty_list_and_a_csv_header(db):
    assert json.loads(_command("--format", "json")) == []
    header = _command("--format", "csv").lstrip("\ufeff").splitlines()
    assert header == [",".join(exports.csv_columns("entries"))]


@pytest.mark.parametrize("what", ["entries", "projects"])
def test_download_views_stream_the_same_export_as_attachments(client, catalog, what):
    response = client.get(reverse("catalog:open_data_download", args=[what, "json"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="menetelmapankki-{what}.json"'
    body = b"".join(response.streaming_content).decode("utf-8")
    assert json.loads(body) == json.loads(_command("--format", "json", "--what", what))

    response = client.get(reverse("catalog:open_data_download", args=[what, "csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="menetelmapankki-{what}.csv"'
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8") == _command("--format", "csv", "--what", what)


def test_unknown_download_is_404(client, db):
    assert client.get(reverse("catalog:open_data_download", args=["people", "json"])).status_code == 404
    assert client.get(reverse("catalog:open_data_download", args=["entries", "xml"])).status_code == 404


def test_seed_export_holds_every_entry_with_its_placements_and_project(seeded_db):
    data = json.loads(_command("--format", "json"))
    entries = Practice.objects.filter(status=PublicationStatus.PUBLISHED).select_related("project")
    assert len(data) == entries.count() > 200
    by_id = {row["id"]: row for row in data}
    for entry in entries.prefetch_related("placements__theme", "placements__subtheme", "placements__period"):
        row = by_id[entry.pk]
        assert row["title"] == entry.title and row["kind"] == entry.kind
        assert row["project"] == (entry.project.name if entry.project else "")
        assert sorted((p["theme_code"], p["subtheme"], p["period_code"]) for p in row["placements"]) == sorted(
            (p.theme.code, p.subtheme.name if p.subtheme else "", p.period.code if p.period else "")
            for p in entry.placements.all()
        )
    rows_csv = list(csv.DictReader(io.StringIO(_command("--format", "csv").lstrip("\ufeff"))))
    assert [r["slug"] for r in rows_csv] == [r["slug"] for r in data]
    projects = json.loads(_command("--format", "json", "--what", "projects"))
    assert len(projects) == Project.objects.filter(status=PublicationStatus.PUBLISHED).count()


# --- languages: sv/en names of themes, subthemes and periods; translations of entries and projects ---


@pytest.fixture
def translated(catalog):
    practice, project = catalog["practice"], catalog["project"]
    for placement in practice.placements.select_related("theme", "subtheme", "period"):
        placement.theme.name_sv, placement.theme.name_en = "Tema", "Theme"
        placement.theme.save()
        placement.subtheme.name_sv, placement.subtheme.name_en = f"Delområde {placement.pk}", f"Subtheme {placement.pk}"
        placement.subtheme.save()
        if placement.period:
            placement.period.name_sv = "Period på svenska"  # no English name: falls back to Finnish
            placement.period.save()
    PlacementFactory(practice=catalog["model"], theme=catalog["model"].placements.first().theme, subtheme=None,
                     period=None)
    PracticeTranslationFactory(practice=practice, language="en", title="Quotes practice", summary="In English.",
                               goal_and_target_group="Goal in English.")
    PracticeTranslationFactory(practice=practice, language="sv", title="Praxis med citat", summary="")
    ProjectTranslationFactory(project=project, language="sv", name="Smidiga övergångar (SISU)",
                              description="Projektet på svenska.")
    ProjectTranslationFactory(project=project, language="en", name="", description="The project in English.")
    return catalog


def test_json_export_carries_names_in_three_languages_and_the_translations(translated):
    rows = {row["id"]: row for row in json.loads(_command("--format", "json"))}
    practice = translated["practice"]
    row = rows[practice.pk]
    assert row["language"] == "fi"
    assert [t["language"] for t in row["translations"]] == ["sv", "en"]
    english = row["translations"][1]
    assert english["title"] == "Quotes practice" and english["summary"] == "In English."
    assert english["goal_and_target_group"] == "Goal in English."
    assert set(english) == {"language", *PracticeTranslation.TRANSLATED_FIELDS}
    assert row["project_names"] == {
        "fi": "Siirtymät sujuviksi (SISU)", "sv": "Smidiga övergångar (SISU)", "en": "Siirtymät sujuviksi (SISU)",
    }
    with_period = next(p for p in row["placements"] if p["period_names"])
    assert with_period["theme_names"] == {"fi": with_period["theme"], "sv": "Tema", "en": "Theme"}
    assert with_period["subtheme_names"]["sv"].startswith("Delområde ")
    assert with_period["period_names"] == {"fi": with_period["period"], "sv": "Period på svenska",
                                           "en": with_period["period"]}
    # An entry without translations still has the keys; a placement without subtheme or period has no names.
    model = rows[translated["model"].pk]
    bare = next(p for p in model["placements"] if not p["period"])
    assert bare["subtheme_names"] is None and bare["period_names"] is None and bare["theme_names"]["en"] == "Theme"
    assert model["translations"] == [] and model["project_names"]["sv"] == "Smidiga övergångar (SISU)"

    projects = {p["slug"]: p for p in json.loads(_command("--format", "json", "--what", "projects"))}
    sisu = projects[translated["project"].slug]
    assert sisu["language"] == "fi"
    assert sisu["translations"] == [
        {"language": "sv", "name": "Smidiga övergångar (SISU)", "description": "Projektet på svenska."},
        {"language": "en", "name": "", "description": "The project in English."},
    ]
    assert sisu["theme_names"] == [t.names() for t in translated["project"].themes.order_by("code")]


def test_csv_export_spreads_languages_over_suffixed_columns(translated):
    text = _command("--format", "csv")
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    rows = {int(r["id"]): r for r in reader}
    # The original columns keep their place; the language columns come after them.
    assert reader.fieldnames[: len(exports.ENTRY_FIELDS) - 1] == [f for f in exports.ENTRY_FIELDS if f != "project_names"]
    for column in ["title_sv", "title_en", "summary_sv", "summary_en", "goal_and_target_group_en", "title_fi",
                   "placements_sv", "placements_en", "project_sv", "project_en"]:
        assert column in reader.fieldnames
    row = rows[translated["practice"].pk]
    assert row["translations"] == "sv | en"
    assert row["title_en"] == "Quotes practice" and row["summary_en"] == "In English."
    assert row["goal_and_target_group_en"] == "Goal in English."
    assert row["title_sv"] == "Praxis med citat" and row["summary_sv"] == ""
    assert row["title_fi"] == ""  # the original is in "title"
    assert row["title"] == 'Käytäntö, jossa "lainausmerkit"'
    assert row["project_sv"] == "Smidiga övergångar (SISU)" and row["project_en"] == "Siirtymät sujuviksi (SISU)"
    placements_sv = row["placements_sv"].split(" | ")
    assert len(placements_sv) == 2
    assert all(p.startswith(f"{translated['practice'].placements.first().theme.code} / Delområde ") for p in placements_sv)
    assert "Period på svenska" in row["placements_sv"]
    assert "Period på svenska" not in row["placements_en"] and "Subtheme " in row["placements_en"]

    projects = list(csv.DictReader(io.StringIO(_command("--format", "csv", "--what", "projects").lstrip("\ufeff"))))
    sisu = next(p for p in projects if p["slug"] == translated["project"].slug)
    assert sisu["language"] == "fi" and sisu["translations"] == "sv | en"
    assert sisu["name_sv"] == "Smidiga övergångar (SISU)" and sisu["description_en"] == "The project in English."
    assert sisu["name_en"] == "" and sisu["description_fi"] == ""
    assert sisu["theme_names_sv"] == " | ".join(t.name_in("sv") for t in translated["project"].themes.order_by("code"))


def test_swedish_entry_exports_its_finnish_translation(catalog):
    entry = PracticeFactory(title="Vägledning", language="sv", project=catalog["project"])
    PracticeTranslationFactory(practice=entry, language="fi", title="Ohjaus", summary="Suomeksi.")
    row = next(r for r in json.loads(_command("--format", "json")) if r["id"] == entry.pk)
    assert row["language"] == "sv" and [t["language"] for t in row["translations"]] == ["fi"]
    flat = exports.flatten_row(row, exports.csv_columns("entries"))
    assert flat["title"] == "Vägledning" and flat["title_fi"] == "Ohjaus" and flat["title_sv"] == ""


def test_export_prefetches_translations(translated, django_assert_max_num_queries):
    for _ in range(5):
        entry = PracticeFactory(project=translated["project"])
        PracticeTranslationFactory(practice=entry, language="en")
        PlacementFactory(practice=entry, subtheme=SubthemeFactory())
    # Entries, placements, keywords, links, translations, project translations, the adoption figures of
    # all models: no query per entry.
    with django_assert_max_num_queries(9):
        rows = list(exports.export_rows("entries"))
    assert len(rows) == 7 and sum(len(r["translations"]) for r in rows) == 7
    with django_assert_max_num_queries(4):
        assert len(list(exports.export_rows("projects"))) == 1


def test_open_data_page_lists_the_csv_language_columns(client, db):
    from django.utils import translation as django_translation

    with django_translation.override("sv"):
        html = client.get(reverse("catalog:open_data")).content.decode()
    assert "title_sv, summary_sv" in html and "placements_sv" in html and "theme_names_en" in html
    assert "schemat i datapackage.json beskriver varje kolumn" in html
