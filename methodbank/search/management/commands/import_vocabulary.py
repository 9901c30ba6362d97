from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from methodbank.search.services import vocabulary_import
from methodbank.search.vocabulary import FORMATS, VocabularyFormatError


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Read a SKOS (Turtle) or CSV vocabulary: concepts are matched by identifier and get exactly the "
        "file's labels. All or nothing; a file with any error changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument(
            "--format", choices=sorted(FORMATS), help="default: from the file name (.ttl or .csv)"
        )
        parser.add_argument(
            "--replace", action="store_true", help="also delete the concepts the file does not name"
        )
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, path, format=None, replace=False, dry_run=False, **options):
        format = format or Path(path).suffix.lstrip(".").lower()
        if format not in FORMATS:
            raise CommandError("give --format ttl or csv")
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {path}: {exc}") from None
        try:
            records = FORMATS[format][1](text)
        except VocabularyFormatError as exc:
            raise CommandError("\n".join(exc.errors)) from None
        try:
            with transaction.atomic():
                counts = vocabulary_import(records=records, replace=replace)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        summary = ", ".join(f"{name} {number}" for name, number in counts.items())
        self.stdout.write(
            f"{len(records)} concepts: {summary}" + (" (dry run, nothing saved)" if dry_run else "")
        )
