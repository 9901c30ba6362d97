"""Portable backups: the database as Django serialised JSON plus the uploaded files, in one tar.gz.

A logical dump restores into SQLite or PostgreSQL alike (the restore drill in the README moves a
bank between them). For large PostgreSQL installations pg_dump is faster; the README shows both.
"""

import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

FORMAT_VERSION = 1
# Rebuilt by Django itself or worthless after a restore.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]


class BackupError(Exception):
    pass


def _dump_models():
    excluded_apps = {e for e in EXCLUDED if "." not in e}
    excluded_models = {e for e in EXCLUDED if "." in e}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in excluded_apps or label in excluded_models:
            continue
        if not model._meta.managed or model._meta.proxy:
            continue
        yield model


def backup_create(out_path: Path) -> dict:
    """Write a backup archive to ``out_path``; returns its manifest."""
    out_path = Path(out_path)
    with tempfile.TemporaryDirectory() as tmp:
        db_file = Path(tmp) / "db.json"
        with db_file.open("w", encoding="utf-8") as fh:
            call_command(
                "dumpdata",
                *[m._meta.label for m in _dump_models()],
                natural_foreign=True,
                natural_primary=False,
                indent=None,
                stdout=fh,
            )
        media_root = Path(settings.MEDIA_ROOT)
        media_files = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database_vendor": connection.vendor,
            "db_sha256": hashlib.sha256(db_file.read_bytes()).hexdigest(),
            "objects": _count_objects(db_file),
            "media_files": [str(p.relative_to(media_root)) for p in media_files],
        }
        partial = out_path.with_name(out_path.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(db_file, arcname="db.json")
            for p in media_files:
                tar.add(p, arcname=f"media/{p.relative_to(media_root)}")
        # Rename last so an interrupted backup never looks complete.
        partial.replace(out_path)
    return manifest


def _count_objects(db_file: Path) -> dict:
    counts: dict[str, int] = {}
    for obj in json.loads(db_file.read_text(encoding="utf-8")):
        counts[obj["model"]] = counts.get(obj["model"], 0) + 1
    return counts


def backup_restore(archive: Path) -> dict:
    """Replace the database content and the uploaded files with the archive's.

    The database part runs in one transaction: a broken archive leaves the bank as it was.
    """
    archive = Path(archive)
    if not archive.exists():
        raise BackupError(f"{archive}: no such file")
    try:
        tar = tarfile.open(archive, "r:gz")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{archive}: not a backup archive ({exc})") from exc
    with tar, tempfile.TemporaryDirectory() as tmp:
        names = tar.getnames()
        if "manifest.json" not in names or "db.json" not in names:
            raise BackupError(f"{archive}: manifest.json or db.json missing")
        for member in tar.getmembers():
            if member.name.startswith("/") or ".." in Path(member.name).parts or not (
                member.isfile() or member.isdir()
            ):
                raise BackupError(f"{archive}: unsafe member {member.name!r}")
        tar.extractall(tmp, filter="data")
        manifest = json.loads((Path(tmp) / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT_VERSION:
            raise BackupError(f"{archive}: unsupported backup format {manifest.get('format')!r}")
        db_file = Path(tmp) / "db.json"
        if hashlib.sha256(db_file.read_bytes()).hexdigest() != manifest["db_sha256"]:
            raise BackupError(f"{archive}: db.json does not match its checksum")
        with transaction.atomic():
            _flush_models()
            objects = list(serializers.deserialize("json", db_file.read_text(encoding="utf-8"),
                                                   handle_forward_references=True))
            for obj in objects:
                obj.save()
            for obj in objects:
                if obj.deferred_fields:
                    obj.save_deferred_fields()
            _reset_sequences()
        _restore_media(Path(tmp) / "media")
    return manifest


def _flush_models():
    # Delete children before parents: reverse of the dependency order that dumpdata uses.
    from django.core.serializers import sort_dependencies

    ordered = sort_dependencies([(None, list(_dump_models()))], allow_cycles=True)
    for model in reversed(ordered):
        model._base_manager.all().delete()


def _reset_sequences():
    from django.core.management.color import no_style

    models = list(_dump_models())
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _restore_media(src: Path):
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    if not src.exists():
        return
    for p in src.rglob("*"):
        if p.is_file():
            target = media_root / p.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(p.read_bytes())
