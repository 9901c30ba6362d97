import json
import tarfile

import pytest
from django.core.management import CommandError, call_command

from methodbank.catalog.models import Organisation, Practice, PracticeKind, Project, PublicationStatus, Theme


def _snapshot():
    """Everything a user would miss: the serialised catalog and the uploaded files."""
    from io import StringIO

    out = StringIO()
    call_command("dumpdata", "catalog", "accounts", "core", stdout=out, indent=None)
    return json.loads(out.getvalue())


@pytest.fixture
def catalog(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "attachments").mkdir(parents=True)
    (tmp_path / "media" / "attachments" / "guide.pdf").write_bytes(b"%PDF-1.4 guide")
    theme, _ = Theme.objects.get_or_create(code="A", defaults={"name": "Sujuva siirtymä koulutukseen", "slug": "a"})
    org = Organisation.objects.create(name="Turun yliopisto", slug="turun-yliopisto")
    project = Project.objects.create(name="#ICTknowhow", slug="ictknowhow", lead=org, status="published")
    project.themes.add(theme)
    Practice.objects.create(
        kind=PracticeKind.MODEL, title="Ohjausmalli", slug="ohjausmalli", project=project,
        summary="Yksilöllistä tukea nivelvaiheeseen.", status=PublicationStatus.PUBLISHED,
    )
    return tmp_path


# serialized_rollback: later tests still find the rows that data migrations made.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_restore_round_trip_loses_nothing(catalog, settings):
    before = _snapshot()
    archive = catalog / "backup.tar.gz"
    call_command("backup", "--out", str(archive))

    # Lose data and a file, then restore.
    Practice.objects.all().delete()
    Project.objects.update(description="changed after the backup")
    (catalog / "media" / "attachments" / "guide.pdf").unlink()
    call_command("restore", str(archive), "--yes")

    assert _snapshot() == before
    assert (catalog / "media" / "attachments" / "guide.pdf").read_bytes() == b"%PDF-1.4 guide"
    # New rows after a restore get fresh ids (sequences were reset on PostgreSQL).
    Organisation.objects.create(name="Uusi", slug="uusi")


# serialized_rollback: later tests still find the rows that data migrations made.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_restore_of_a_corrupted_archive_changes_nothing(catalog):
    archive = catalog / "backup.tar.gz"
    call_command("backup", "--out", str(archive))
    before = _snapshot()

    # Tamper with db.json: the checksum no longer matches.
    broken = catalog / "broken.tar.gz"
    with tarfile.open(archive, "r:gz") as src, tarfile.open(broken, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name == "db.json":
                data = data.replace(b"Ohjausmalli", b"Tampered")
                member.size = len(data)
            import io

            dst.addfile(member, io.BytesIO(data))
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(broken), "--yes")
    with pytest.raises(CommandError, match="not a backup archive"):
        (catalog / "junk.tar.gz").write_bytes(b"not a tar")
        call_command("restore", str(catalog / "junk.tar.gz"), "--yes")
    assert _snapshot() == before
