from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.base import DeserializationError

from methodbank.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = "Replace the database content and uploaded files with a backup archive's."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")

    def handle(self, *args, **opts):
        if not opts["yes"]:
            answer = input("This replaces everything in the database. Type 'yes' to continue: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled.")
        try:
            manifest = backup_restore(Path(opts["archive"]))
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        except DeserializationError as exc:
            # A checksum-valid db.json with rows this bank cannot read (hand-made, or another version).
            raise CommandError(f"{opts['archive']}: a row cannot be restored, nothing changed ({exc})") from exc
        total = sum(manifest["objects"].values())
        self.stdout.write(f"restored {total} objects and {len(manifest['media_files'])} files")
