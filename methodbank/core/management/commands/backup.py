from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils import timezone

from methodbank.core.backup import backup_create


class Command(BaseCommand):
    help = "Write a backup archive (database + uploaded files) to --out."

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
        self.stdout.write(f"{out}: {total} objects, {len(manifest['media_files'])} files")
