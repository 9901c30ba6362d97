"""Backups of the real catalog restore exactly: every table, every export, every file.

A restore replaces the database and MEDIA_ROOT together, or changes neither.
"""

import datetime
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, connections

from methodbank.catalog.models import (
    Keyword,
    Organisation,
    Practice,
    PracticeKind,
    PracticeTranslation,
    Project,
    PublicationStatus,
    Theme,
)
from methodbank.core import backup as backup_module

SEED_PATH = "data/zoomi-2020/report.txt"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXPORTS = [("entries", "json"), ("entries", "csv"), ("projects", "json"), ("projects", "csv")]
QUERIES = ["opinto-ohjaajalle", "romaninuoret", "digitaalinen jalanjälki", "Vertaismentorointi"]


def _tables() -> str:
    """Every row of every table a backup carries, in primary-key order, as one canonical text."""
    rows = {}
    for model in backup_module._dump_models():
        values = model._base_manager.order_by("pk").values()
        rows[model._meta.label_lower] = [{k: str(v) for k, v in row.items()} for row in values]
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            # An automatic m2m table's own id means nothing: compare the pairs.
            rows[through._meta.label_lower] = sorted(
                json.dumps({k: str(v) for k, v in r.items() if k != "id"}, sort_keys=True)
                for r in through._base_manager.values()
            )
    return {label: json.dumps(table, ensure_ascii=False) for label, table in rows.items()}


def _exports() -> dict:
    """What a user downloads: the open-data exports, byte for byte."""
    out = {}
    for what, fmt in EXPORTS:
        buffer = io.StringIO()
        call_command("export_catalog", "--format", fmt, "--what", what, stdout=buffer)
        out[f"{what}.{fmt}"] = buffer.getvalue().encode()
    return out


def _searches() -> dict:
    out = {}
    for query in QUERIES:
        buffer = io.StringIO()
        call_command("search", query, "--limit", "10", "--json", stdout=buffer)
        out[query] = buffer.getvalue()
    return out


def _media() -> dict:
    root = Path(settings.MEDIA_ROOT)
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _everything() -> dict:
    return {"tables": _tables(), "exports": _exports(), "search": _searches(), "media": _media()}


def _assert_same(after: dict, before: dict):
    assert after["media"] == before["media"]
    for name, data in before["exports"].items():
        new = after["exports"][name]
        at = next((i for i, (a, b) in enumerate(zip(new, data, strict=False)) if a != b), min(len(new), len(data)))
        assert new == data, f"{name} differs at byte {at}: {new[at - 80:at + 80]!r} != {data[at - 80:at + 80]!r}"
    assert after["search"] == before["search"]
    differing = [label for label, table in before["tables"].items() if after["tables"].get(label) != table]
    assert not differing, [(label, after["tables"].get(label, "")[:3000], before["tables"][label][:3000]) for label in differing]
    assert after["tables"].keys() == before["tables"].keys()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "site" / "media"
    settings.MEDIA_ROOT.mkdir(parents=True)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.OPEN_DATA_REBUILD_ON_PUBLISH = True
    return settings.MEDIA_ROOT


def _sequences_past_existing_rows():
    """An earlier test's restore set PostgreSQL's sequences to its own rows; the test runner then
    reloads the data migrations' rows (serialized_rollback) with their ids but leaves the sequences
    where they were, so the next insert would reuse an id. Outside tests nothing reloads rows that way."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    models = [model for config in apps.get_app_configs() for model in config.get_models()]
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def _real_catalog(coordinator):
    """The imported Zoomi catalog plus what people add to it: translations, versions, an
    evaluation, attachments (real files), a built report and the open-data dumps."""
    from methodbank.contributions import services as catalog_services
    from methodbank.evaluation import services as evaluation_services
    from methodbank.evaluation.tests.factories import active_peer_set, scores
    from methodbank.reports import services as report_services
    from methodbank.reports.models import ReportDefinition

    _sequences_past_existing_rows()
    call_command("import_report", SEED_PATH, verbosity=0)
    assert Keyword.objects.filter(practices__isnull=False).exists()
    model = Practice.objects.filter(kind=PracticeKind.MODEL, status=PublicationStatus.PUBLISHED).order_by("pk")[0]
    good = Practice.objects.filter(kind=PracticeKind.GOOD_PRACTICE).order_by("pk")[0]

    # A published translation, and a pending revision (a version) that adds another.
    PracticeTranslation.objects.create(practice=model, language="sv", title="Handledningsmodell",
                                       summary="Individuellt stöd i övergången.")
    catalog_services.practice_translation_save(
        practice=good, by=coordinator, language="en", lock_version=good.lock_version,
        fields={"title": "Guidance practice", "summary": "Support at the transition."},
    )
    assert good.versions.exists()
    catalog_services.practice_attachment_add(
        practice=model, by=coordinator, uploaded_file=SimpleUploadedFile("opas.pdf", PDF_BYTES), title="Opas"
    )
    catalog_services.practice_attachment_add(
        practice=good, by=coordinator, uploaded_file=SimpleUploadedFile("kuva.pdf", PDF_BYTES + b"%2"),
    )
    catalog_services.project_translation_save(
        project=model.project, by=coordinator, language="en", fields={"name": "Guidance project"}
    )

    event = evaluation_services.event_create(
        by=coordinator, models=[model], participants=[coordinator], title="Vertaisarviointi",
        date=datetime.date(2026, 11, 30), place="Helsinki", criteria_set=active_peer_set(),
        access_expires_at=datetime.datetime(2099, 12, 1, 18, tzinfo=datetime.UTC),
    )
    evaluation_services.peer_assessment_save(
        event=event, practice=model, scores=scores(event.criteria_set), rater=coordinator, strengths="Selkeä."
    )

    definition = ReportDefinition.objects.create(slug="palautus", title="Palautustesti", language="fi")
    definition.subthemes.set(model.placements.values_list("subtheme", flat=True))
    report_services.report_build_request(definition=definition, fmt="html", by=coordinator)
    call_command("build_open_data", verbosity=0)
    return model, good


# serialized_rollback: later tests still find the rows that data migrations made.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_real_catalog_restores_exactly(media, coordinator, tmp_path):
    from methodbank.reports.models import ReportBuild

    model, good = _real_catalog(coordinator)
    assert ReportBuild.objects.filter(status="done").exists()
    before = _everything()
    assert len(before["media"]) >= 4  # two attachments, the report, the open-data dumps
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--out", str(archive))

    # Life goes on after the backup: entries deleted, a project changed, a keyword gone, files
    # added, changed and deleted.
    Practice.objects.filter(pk__in=[model.pk, good.pk]).delete()
    Project.objects.update(description="changed after the backup")
    Keyword.objects.order_by("pk").first().delete()
    Organisation.objects.create(name="Uusi", slug="uusi")
    (media / "attachments" / "added-later.pdf").parent.mkdir(parents=True, exist_ok=True)
    (media / "attachments" / "added-later.pdf").write_bytes(PDF_BYTES)
    (media / "opendata" / "entries.json").write_text("[]")
    next(p for p in media.rglob("*.html")).unlink()

    out = io.StringIO()
    call_command("restore", str(archive), "--yes", stdout=out)
    assert "restored" in out.getvalue()

    _assert_same(_everything(), before)
    # Nothing is left behind beside MEDIA_ROOT.
    assert sorted(p.name for p in media.parent.iterdir()) == ["media"]
    # New rows after a restore get fresh ids (sequences were reset on PostgreSQL).
    Organisation.objects.create(name="Uusi", slug="uusi")
    Keyword.objects.create(name="uusi avainsana")

    _disaster_recovery(archive, before, tmp_path)


def _small_catalog(media):
    (media / "attachments").mkdir(parents=True, exist_ok=True)
    (media / "attachments" / "guide.pdf").write_bytes(b"%PDF-1.4 guide")
    theme, _ = Theme.objects.get_or_create(code="A", defaults={"name": "Sujuva siirtymä koulutukseen", "slug": "a"})
    org = Organisation.objects.create(name="Turun yliopisto", slug="turun-yliopisto")
    project = Project.objects.create(name="#ICTknowhow", slug="ictknowhow", lead=org, status="published")
    project.themes.add(theme)
    practice = Practice.objects.create(
        kind=PracticeKind.MODEL, title="Ohjausmalli", slug="ohjausmalli", project=project,
        summary="Yksilöllistä tukea nivelvaiheeseen.", status=PublicationStatus.PUBLISHED,
    )
    practice.keywords.add(Keyword.objects.create(name="nivelvaihe", approved=True))


def _change_everything(media):
    Practice.objects.update(title="Muutettu")
    Organisation.objects.create(name="Uusi", slug="uusi")
    (media / "attachments" / "guide.pdf").write_bytes(b"changed")
    (media / "added.txt").write_text("added after the backup")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_load_failing_half_way_changes_neither_database_nor_files(media, tmp_path, monkeypatch):
    _small_catalog(media)
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--out", str(archive))
    _change_everything(media)
    before = _everything()

    real_load = backup_module._load

    def load_then_fail(records):
        real_load(records[: len(records) // 2])
        raise RuntimeError("the database went away")

    monkeypatch.setattr(backup_module, "_load", load_then_fail)
    with pytest.raises(RuntimeError, match="went away"):
        call_command("restore", str(archive), "--yes")
    _assert_same(_everything(), before)
    assert sorted(p.name for p in media.parent.iterdir()) == ["media"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("step", ["move-old-away", "move-new-in", "commit"])
def test_a_failing_file_step_changes_neither_database_nor_files(media, tmp_path, monkeypatch, step):
    _small_catalog(media)
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--out", str(archive))
    _change_everything(media)
    before = _everything()

    real_rename = os.rename
    calls = []

    def rename(src, dst):
        calls.append(src)
        if step == "move-old-away" and len(calls) == 1 or step == "move-new-in" and len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_rename(src, dst)

    monkeypatch.setattr(backup_module.os, "rename", rename)
    if step == "commit":
        # The files are in place when the commit fails: they must go back.
        def commit_fails(self):
            raise DatabaseError("could not commit: the server closed the connection")

        monkeypatch.setattr(type(connections["default"]), "commit", commit_fails)
    with pytest.raises((OSError, DatabaseError)):
        call_command("restore", str(archive), "--yes")
    monkeypatch.undo()
    _assert_same(_everything(), before)
    assert sorted(p.name for p in media.parent.iterdir()) == ["media"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_of_a_corrupted_archive_changes_nothing(media, tmp_path):
    _small_catalog(media)
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--out", str(archive))
    _change_everything(media)
    before = _everything()

    def rewrite(name, change):
        broken = tmp_path / name
        with tarfile.open(archive, "r:gz") as src, tarfile.open(broken, "w:gz") as dst:
            for member in src.getmembers():
                data = src.extractfile(member).read()
                new = change(member, data)
                if new is None:
                    continue
                member.size = len(new)
                dst.addfile(member, io.BytesIO(new))
        return broken

    tampered = rewrite("tampered.tar.gz", lambda m, d: d.replace(b"Ohjausmalli", b"Tampered") if m.name == "db.json" else d)
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(tampered), "--yes")
    missing_file = rewrite("missing.tar.gz", lambda m, d: None if m.name.startswith("media/") else d)
    with pytest.raises(CommandError, match="files do not match"):
        call_command("restore", str(missing_file), "--yes")
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    with pytest.raises(CommandError):
        call_command("restore", str(truncated), "--yes")
    not_json = rewrite("not-json.tar.gz", lambda m, d: b"{oops" if m.name == "manifest.json" else d)
    with pytest.raises(CommandError, match="not readable JSON"):
        call_command("restore", str(not_json), "--yes")

    def unknown_model(member, data):
        # A row this bank has no table for, with a checksum that matches it.
        if member.name == "db.json":
            return b'[{"model": "catalog.nosuchmodel", "pk": 1, "fields": {}}]'
        if member.name == "manifest.json":
            manifest = json.loads(data)
            manifest["db_sha256"] = hashlib.sha256(b'[{"model": "catalog.nosuchmodel", "pk": 1, "fields": {}}]').hexdigest()
            return json.dumps(manifest).encode()
        return data

    with pytest.raises(CommandError, match="nothing changed"):
        call_command("restore", str(rewrite("unknown.tar.gz", unknown_model)), "--yes")
    (tmp_path / "junk.tar.gz").write_bytes(b"not a tar")
    with pytest.raises(CommandError, match="not a backup archive"):
        call_command("restore", str(tmp_path / "junk.tar.gz"), "--yes")
    _assert_same(_everything(), before)
    assert sorted(p.name for p in media.parent.iterdir()) == ["media"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_archive_that_still_carries_the_search_index_restores(media, tmp_path):
    """Archives written before the index was left out have its rows: they are rebuilt instead."""
    _small_catalog(media)
    before = _everything()
    archive = tmp_path / "old-style.tar.gz"
    derived = [m for m in backup_module._dump_models(include_derived=True) if backup_module._is_derived(m)]
    real = backup_module._dump_models
    backup_module._dump_models = lambda include_derived=False: real(include_derived=True)
    try:
        manifest = backup_module.backup_create(archive)
    finally:
        backup_module._dump_models = real
    assert manifest["objects"].get(derived[0]._meta.label_lower)
    Practice.objects.update(title="Muutettu")
    call_command("restore", str(archive), "--yes")
    _assert_same(_everything(), before)


def _manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], env=env, capture_output=True, timeout=600,
        cwd=settings.BASE_DIR,
    )


def _disaster_recovery(archive, before, tmp_path):
    """The drill: a new, empty database, `migrate`, `restore`: the same catalog and files."""
    db = settings.DATABASES["default"]
    env = {**os.environ, "SECRET_KEY": "x", "DEBUG": "false", "MEDIA_ROOT": str(tmp_path / "new-site" / "media")}
    fresh_name = f"{db['NAME']}_fresh"
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh_name}"')
            cursor.execute(f'CREATE DATABASE "{fresh_name}"')
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{fresh_name}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    try:
        for step in (["migrate", "-v0"], ["restore", str(archive), "--yes"]):
            result = _manage(*step, env=env)
            assert result.returncode == 0, result.stderr[-3000:].decode()
        for what, fmt in EXPORTS:
            result = _manage("export_catalog", "--format", fmt, "--what", what, env=env)
            assert result.returncode == 0, result.stderr[-3000:].decode()
            assert result.stdout == before["exports"][f"{what}.{fmt}"], f"{what}.{fmt}"
        result = _manage("search", QUERIES[0], "--limit", "10", "--json", env=env)
        assert result.stdout.decode() == before["search"][QUERIES[0]]
        new_media = Path(env["MEDIA_ROOT"])
        assert {
            str(p.relative_to(new_media)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(new_media.rglob("*")) if p.is_file()
        } == before["media"]
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{fresh_name}"')
