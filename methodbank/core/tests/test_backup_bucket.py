"""Backups with object storage (issue 22): `backup` and `restore` cover the bucket's objects, and a
restore brings the database and the bucket back to the same moment, or changes neither.

Runs against moto's S3 server (the same one the multi-server test uses), through django-storages.
"""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DatabaseError, connections

from methodbank.catalog.models import Practice, PracticeAttachment, PracticeKind, PublicationStatus
from methodbank.core import backup as backup_module

boto3 = pytest.importorskip("boto3")
pytest.importorskip("moto")
pytest.importorskip("storages")

from .multiserver.cluster import free_port, wait_http  # noqa: E402

BUCKET = "mb-backup-test"


@pytest.fixture(scope="module")
def s3_server():
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        wait_http(f"http://127.0.0.1:{port}/", proc=proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)


@pytest.fixture
def bucket(s3_server, settings, tmp_path):
    client = boto3.client("s3", endpoint_url=s3_server, aws_access_key_id="testing",
                          aws_secret_access_key="testing", region_name="us-east-1")
    name = f"{BUCKET}-{time.monotonic_ns()}"
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name, "endpoint_url": s3_server, "access_key": "testing",
                "secret_key": "testing", "region_name": "us-east-1", "default_acl": "private",
                "querystring_auth": True, "file_overwrite": False,
            },
        },
    }
    settings.MEDIA_ROOT = tmp_path / "site" / "media"
    settings.MEDIA_ROOT.mkdir(parents=True)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    def objects() -> dict[str, bytes]:
        keys = [o["Key"] for o in client.list_objects_v2(Bucket=name).get("Contents", [])]
        return {k: client.get_object(Bucket=name, Key=k)["Body"].read() for k in keys}

    return objects


def _catalog():
    practice = Practice.objects.create(
        kind=PracticeKind.MODEL, title="Ohjausmalli", slug="ohjausmalli",
        summary="Yksilöllistä tukea nivelvaiheeseen.", status=PublicationStatus.PUBLISHED,
    )
    for i, body in enumerate([b"%PDF-1.4 opas", b"%PDF-1.4 liite"]):
        attachment = PracticeAttachment(practice=practice, original_name=f"opas{i}.pdf", content_type="application/pdf",
                                        size=len(body))
        attachment.file.save(f"opas{i}.pdf", ContentFile(body), save=True)
    default_storage.save("reports/vanha.html", ContentFile(b"<!DOCTYPE html>"))
    return practice


def _change_everything(bucket):
    Practice.objects.update(title="Muutettu")
    first, second = PracticeAttachment.objects.order_by("pk")
    # Same name, other bytes (a report build that replaced its file); one removed; one added.
    default_storage.delete(first.file.name)
    assert default_storage.save(first.file.name, ContentFile(b"changed")) == first.file.name
    second.file.delete(save=False)
    second.delete()
    default_storage.save("attachments/uusi.pdf", ContentFile(b"%PDF-1.4 uusi"))


def _state(bucket):
    return {
        "titles": sorted(Practice.objects.values_list("title", flat=True)),
        "attachments": sorted(PracticeAttachment.objects.values_list("file", flat=True)),
        "bucket": bucket(),
    }


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_backup_and_restore_cover_the_bucket(bucket, tmp_path, capsys):
    _catalog()
    backed_up = _state(bucket)
    assert len(backed_up["bucket"]) == 3
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--out", str(archive))
    assert "3 files from bucket" in capsys.readouterr().out
    _change_everything(bucket)
    assert _state(bucket) != backed_up

    call_command("restore", str(archive), "--yes")
    # The database and the bucket are at the moment of the backup: same rows, same objects, same
    # bytes, and nothing the restored database does not know.
    assert _state(bucket) == backed_up
    # The local MEDIA_ROOT held none of it.
    assert not any(p.is_file() for p in (tmp_path / "site" / "media").rglob("*"))
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["media"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("step", ["load", "upload", "commit"])
def test_a_failing_restore_changes_neither_database_nor_bucket(bucket, tmp_path, monkeypatch, step):
    _catalog()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--out", str(archive))
    _change_everything(bucket)
    before = _state(bucket)

    if step == "load":
        def fail(records):
            raise RuntimeError("the database went away")

        monkeypatch.setattr(backup_module, "_load", fail)
    elif step == "upload":
        real_put = backup_module._BucketSwap._put
        calls = []

        def put_then_fail(self, name, content):
            calls.append(name)
            if len(calls) == 2:  # after one object was already replaced
                raise OSError("the object store went away")
            return real_put(self, name, content)

        monkeypatch.setattr(backup_module._BucketSwap, "_put", put_then_fail)
    else:
        def commit_fails(self):
            raise DatabaseError("could not commit: the server closed the connection")

        monkeypatch.setattr(type(connections["default"]), "commit", commit_fails)
    with pytest.raises((RuntimeError, OSError, DatabaseError)):
        call_command("restore", str(archive), "--yes")
    monkeypatch.undo()
    assert _state(bucket) == before


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_reports_files_the_database_names_but_the_bucket_lost(bucket, tmp_path, capsys):
    _catalog()
    lost = PracticeAttachment.objects.order_by("pk").first().file.name
    default_storage.delete(lost)
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", "--out", str(archive))
    assert lost in capsys.readouterr().err
