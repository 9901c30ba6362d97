"""Portable backups: the database as Django serialised JSON plus the uploaded files, in one tar.gz.

A logical dump restores into SQLite or PostgreSQL alike (the restore drill in the README moves a
bank between them). For large PostgreSQL installations pg_dump is faster; the README shows both.

Derived tables (a model with ``backup_derived = True``: the search index) are left out of the dump
and rebuilt by their app when a restore has loaded the data (the ``restore_loaded`` signal).

A restore changes the database and MEDIA_ROOT together or not at all: the archive's files are
unpacked into a staging folder beside MEDIA_ROOT, the data is loaded in one transaction with every
model signal off (a loaded row must not set off indexing, cache or open-data side effects half-way
through the load), and the staged folder is renamed into place as the transaction's last step,
the old folder kept until the commit has succeeded and renamed back if it fails.

With object storage (STORAGE_BUCKET: the default storage is not a local folder) the archive's files
are the bucket's objects instead of MEDIA_ROOT's, and a restore puts them back the same way: as the
transaction's last step it uploads the objects that differ (keeping the ones it replaces), deletes
what it added and puts the replaced ones back if anything fails, and only after the commit removes
the objects the restored database does not know. MEDIA_ROOT then holds only derived files (the
open-data dumps), which are rebuilt, not backed up.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, storages
from django.core.serializers import sort_dependencies
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db import models as dj_models
from django.db.models import signals as model_signals
from django.dispatch import Signal
from django.utils import timezone
from django.utils.timezone import is_aware

FORMAT_VERSION = 1
# Rebuilt by Django itself or worthless after a restore.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "admin.logentry"]

# Sent inside the restore's transaction once every row is loaded (model signals are still off):
# apps rebuild what they derive from the data, e.g. the search index.
restore_loaded = Signal()

_MUTED_SIGNALS = (
    model_signals.pre_save,
    model_signals.post_save,
    model_signals.pre_delete,
    model_signals.post_delete,
    model_signals.m2m_changed,
)


class BackupError(Exception):
    pass


def _is_derived(model) -> bool:
    return bool(getattr(model, "backup_derived", False))


def _dump_models(*, include_derived: bool = False):
    excluded_apps = {e for e in EXCLUDED if "." not in e}
    excluded_models = {e for e in EXCLUDED if "." in e}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in excluded_apps or label in excluded_models:
            continue
        if not model._meta.managed or model._meta.proxy:
            continue
        if _is_derived(model) and not include_derived:
            continue
        yield model


def object_storage():
    """The default storage when it is object storage (S3), None when files live in MEDIA_ROOT."""
    storage = storages["default"]
    return None if isinstance(storage, FileSystemStorage) else storage


def storage_files(storage, path: str = "") -> list[str]:
    """Every file name in ``storage``, recursively, sorted."""
    dirs, files = storage.listdir(path)
    names = [f"{path}/{f}" if path else f for f in files]
    for d in dirs:
        names += storage_files(storage, f"{path}/{d}" if path else d)
    return sorted(names)


def backup_create(out_path: Path) -> dict:
    """Write a backup archive to ``out_path``; returns its manifest."""
    out_path = Path(out_path)
    bucket = object_storage()
    with tempfile.TemporaryDirectory() as tmp:
        db_file = Path(tmp) / "db.json"
        _dump_database(db_file)
        # Listed after the dump: a file uploaded meanwhile is only an extra, unreferenced one; one
        # deleted meanwhile is reported in missing_files (stop the app servers for an exact copy).
        if bucket is not None:
            media_names = storage_files(bucket)
        else:
            media_root = Path(settings.MEDIA_ROOT)
            media_files = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
            media_names = [str(p.relative_to(media_root)) for p in media_files]
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "database_vendor": connection.vendor,
            "db_sha256": hashlib.sha256(db_file.read_bytes()).hexdigest(),
            "objects": _count_objects(db_file),
            "media_source": "bucket" if bucket is not None else "media_root",
            "media_files": media_names,
            "missing_files": sorted(_referenced_files(db_file) - set(media_names)),
        }
        partial = out_path.with_name(out_path.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(db_file, arcname="db.json")
            for name in media_names:
                if bucket is None:
                    tar.add(media_root / name, arcname=f"media/{name}")
                    continue
                with bucket.open(name, "rb") as fh:
                    content = fh.read()
                info = tarfile.TarInfo(f"media/{name}")
                info.size = len(content)
                info.mtime = int(timezone.now().timestamp())
                tar.addfile(info, io.BytesIO(content))
        # Rename last so an interrupted backup never looks complete.
        partial.replace(out_path)
    return manifest


def _referenced_files(db_file: Path) -> set[str]:
    """The file names the dumped rows point to (every FileField)."""
    fields = {
        model._meta.label_lower: [f.name for f in model._meta.concrete_fields if isinstance(f, dj_models.FileField)]
        for model in _dump_models()
    }
    names = set()
    for obj in json.loads(db_file.read_text(encoding="utf-8")):
        for field in fields.get(obj["model"], []):
            if obj["fields"].get(field):
                names.add(obj["fields"][field])
    return names


class _FullPrecisionEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but times keep their microseconds (it cuts them to milliseconds, so a
    restored publication time would no longer be the one the exports and reports showed)."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            if isinstance(o, datetime.time) and is_aware(o):
                raise ValueError("JSON can't represent timezone-aware times.")
            return o.isoformat()
        return super().default(o)


def _dump_database(db_file: Path) -> None:
    """Every backed-up table as Django's serialised JSON, parents before children (as dumpdata
    orders them), users and other natural keys by key, everything else by primary key."""
    ordered = sort_dependencies([(None, list(_dump_models()))], allow_cycles=True)
    with db_file.open("w", encoding="utf-8") as fh:
        fh.write("[")
        first = True
        for model in ordered:
            rows = model._base_manager.order_by("pk").iterator(chunk_size=2000)
            for record in serializers.serialize("python", rows, use_natural_foreign_keys=True):
                fh.write("\n" if first else ",\n")
                first = False
                json.dump(record, fh, cls=_FullPrecisionEncoder, ensure_ascii=False)
        fh.write("\n]\n")


def _count_objects(db_file: Path) -> dict:
    counts: dict[str, int] = {}
    for obj in json.loads(db_file.read_text(encoding="utf-8")):
        counts[obj["model"]] = counts.get(obj["model"], 0) + 1
    return counts


@contextmanager
def model_signals_muted():
    """Switch off every model signal receiver (save, delete, m2m) for the block, in this process.

    Meant for a restore, which runs alone as a management command: other threads of the process
    would not see signals either while it lasts.
    """
    saved = []
    try:
        for signal in _MUTED_SIGNALS:
            with signal.lock:
                saved.append((signal, signal.receivers))
                signal.receivers = []
                signal.sender_receivers_cache.clear()
        yield
    finally:
        for signal, receivers in saved:
            with signal.lock:
                signal.receivers = receivers
                signal.sender_receivers_cache.clear()


def backup_restore(archive: Path) -> dict:
    """Replace the database content and the uploaded files with the archive's.

    Either both change or neither does: a broken archive, a failing load or a failing file step
    leaves the bank as it was.
    """
    archive = Path(archive)
    if not archive.exists():
        raise BackupError(f"{archive}: no such file")
    try:
        tar = tarfile.open(archive, "r:gz")
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{archive}: not a backup archive ({exc})") from exc
    bucket = object_storage()
    # Resolved: where MEDIA_ROOT is a symbolic link, the folder it points to is the one swapped.
    media_root = Path(settings.MEDIA_ROOT).resolve()
    if bucket is None and os.path.ismount(media_root):
        raise BackupError(
            f"MEDIA_ROOT ({media_root}) is a mount point, which a restore cannot swap in one step: "
            "point MEDIA_ROOT at a folder inside the volume"
        )
    media_root.parent.mkdir(parents=True, exist_ok=True)
    # Beside MEDIA_ROOT, on the same file system, so that swapping it in is a rename.
    staging = Path(tempfile.mkdtemp(prefix=f".{media_root.name}-restore-", dir=media_root.parent))
    if bucket is not None:
        swap = _BucketSwap(storage=bucket, staging=staging)
    else:
        swap = _MediaSwap(media_root=media_root, staging=staging)
    try:
        with tar:
            manifest, records = _unpack(archive, tar, staging)
        with transaction.atomic(durable=True), model_signals_muted():
            _flush_models()
            _load(records)
            _reset_sequences()
            restore_loaded.send(sender=backup_restore)
            # Last step inside the transaction: if the commit fails, the old files go back below.
            swap.swap_in()
        swap.committed = True
        swap.after_commit()
    except BaseException:
        swap.undo()
        raise
    finally:
        # After a commit this drops the files from before the restore; after a failure, the
        # staged ones.
        shutil.rmtree(staging, ignore_errors=True)
    from methodbank.core.cache import catalog_changed

    catalog_changed()
    return manifest


def _unpack(archive: Path, tar: tarfile.TarFile, staging: Path):
    try:
        members = tar.getmembers()
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{archive}: not a backup archive ({exc})") from exc
    names = {m.name for m in members}
    if "manifest.json" not in names or "db.json" not in names:
        raise BackupError(f"{archive}: manifest.json or db.json missing")
    for member in members:
        parts = Path(member.name).parts
        if (
            member.name.startswith("/")
            or ".." in parts
            or not (member.isfile() or member.isdir())
            or not (member.name in ("manifest.json", "db.json") or (parts and parts[0] == "media"))
        ):
            raise BackupError(f"{archive}: unsafe member {member.name!r}")
    try:
        tar.extractall(staging, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{archive}: cannot unpack ({exc})") from exc
    try:
        manifest = json.loads((staging / "manifest.json").read_text(encoding="utf-8"))
        records = json.loads((staging / "db.json").read_text(encoding="utf-8"))
    except (ValueError, OSError) as exc:
        raise BackupError(f"{archive}: manifest.json or db.json is not readable JSON ({exc})") from exc
    if not isinstance(manifest, dict) or not isinstance(records, list):
        raise BackupError(f"{archive}: manifest.json or db.json is not a backup's")
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"{archive}: unsupported backup format {manifest.get('format')!r}")
    db_file = staging / "db.json"
    if hashlib.sha256(db_file.read_bytes()).hexdigest() != manifest.get("db_sha256"):
        raise BackupError(f"{archive}: db.json does not match its checksum")
    staged_media = staging / "media"
    staged_media.mkdir(exist_ok=True)
    found = {str(p.relative_to(staged_media)) for p in staged_media.rglob("*") if p.is_file()}
    if found != set(manifest.get("media_files", [])):
        raise BackupError(f"{archive}: the files do not match the manifest's list")
    # Archives from before the search index was left out still carry it: it is rebuilt instead.
    derived = {m._meta.label_lower for m in _dump_models(include_derived=True) if _is_derived(m)}
    records = [r for r in records if not (isinstance(r, dict) and r.get("model") in derived)]
    return manifest, records


def _load(records: list) -> None:
    # One at a time, as loaddata does: a natural key (a user's e-mail) is looked up when its row is
    # read, so the rows it points to must be saved by then, not still waiting in a list.
    deferred = []
    for obj in serializers.deserialize("python", records, handle_forward_references=True):
        # Every table was emptied: an insert, without the UPDATE Django would try first.
        obj.save(force_insert=True)
        if obj.deferred_fields:
            deferred.append(obj)
    for obj in deferred:
        obj.save_deferred_fields()


def _flush_models():
    # Delete children before parents: reverse of the dependency order that dumpdata uses.
    ordered = sort_dependencies([(None, list(_dump_models(include_derived=True)))], allow_cycles=True)
    for model in reversed(ordered):
        model._base_manager.all().delete()


def _reset_sequences():
    from django.core.management.color import no_style

    models = list(_dump_models(include_derived=True))
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


class _MediaSwap:
    """Renames the staged files into MEDIA_ROOT, keeping the old folder until the commit."""

    def __init__(self, *, media_root: Path, staging: Path):
        self.media_root = media_root
        self.staged = staging / "media"
        self.old = staging / "media-before"
        self.rejected = staging / "media-rejected"
        self.moved_old = self.moved_new = self.committed = False

    def swap_in(self) -> None:
        if self.media_root.exists():
            os.rename(self.media_root, self.old)
            self.moved_old = True
        os.rename(self.staged, self.media_root)
        self.moved_new = True

    def undo(self) -> None:
        if self.committed:
            return
        if self.moved_new:
            os.rename(self.media_root, self.rejected)
        if self.moved_old:
            os.rename(self.old, self.media_root)

    def after_commit(self) -> None:
        pass


class _BucketSwap:
    """Puts the archive's objects into the bucket as the transaction's last step.

    A bucket has no rename of a whole folder, so the swap is object by object: objects that are
    already there with the same bytes stay, the others are uploaded, and each object replaced is
    first kept in the staging folder. If the load or the commit fails, the uploaded objects are
    deleted and the replaced ones put back. The objects the restored database does not know are
    deleted only after the commit (before it, the old database still points to them).
    """

    def __init__(self, *, storage, staging: Path):
        self.storage = storage
        self.staged = staging / "media"
        self.old = staging / "bucket-before"
        self.created: list[str] = []
        self.replaced: list[str] = []
        self.extra: list[str] = []
        self.committed = False

    def _put(self, name: str, content: bytes) -> None:
        if self.storage.exists(name):
            self.storage.delete(name)
        saved = self.storage.save(name, ContentFile(content))
        if saved != name:
            raise BackupError(f"the storage saved {name!r} as {saved!r}")

    def swap_in(self) -> None:
        current = set(storage_files(self.storage))
        wanted = sorted(str(p.relative_to(self.staged)) for p in self.staged.rglob("*") if p.is_file())
        self.extra = sorted(current - set(wanted))
        for name in wanted:
            content = (self.staged / name).read_bytes()
            if name in current:
                with self.storage.open(name, "rb") as fh:
                    existing = fh.read()
                if existing == content:
                    continue
                kept = self.old / name
                kept.parent.mkdir(parents=True, exist_ok=True)
                kept.write_bytes(existing)
                self.replaced.append(name)
            else:
                self.created.append(name)
            self._put(name, content)

    def undo(self) -> None:
        if self.committed:
            return
        for name in self.created:
            self.storage.delete(name)
        for name in self.replaced:
            self._put(name, (self.old / name).read_bytes())

    def after_commit(self) -> None:
        for name in self.extra:
            self.storage.delete(name)
