from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from methodbank.core.backup import backup_create


class Command(BaseCommand):
    help = "Write a backup archive (database + uploaded files, from MEDIA_ROOT or the bucket) to --out."

    def add_arguments(self, parser):
        parser.add_argument("--out", help="archive path (default: var/backups/menetelmapankki-<time>.tar.gz)")

    def handle(self, *args, **opts):
        from django.conf import settings

        out = opts["out"] or str(
            Path(settings.VAR_DIR) / "backups" / f"menetelmapankki-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        )
        Path(out).parent.mkdir(parents=True, exist_ok=True)
        manifest = backup_create(Path(out))
        total = sum(manifest["objects"].values())
        source = "bucket" if manifest["media_source"] == "bucket" else "MEDIA_ROOT"
        self.stdout.write(f"{out}: {total} objects, {len(manifest['media_files'])} files from {source}")
        if manifest["missing_files"]:
            # Deleted between the dump and the file listing (or lost before): the database names them.
            self.stderr.write(
                f"warning: {len(manifest['missing_files'])} files the database names are not in the archive: "
                + ", ".join(manifest["missing_files"][:10])
            )
