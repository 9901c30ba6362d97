from pathlib import Path

from django.core.management.base import BaseCommand

from methodbank.search.vocabulary import FORMATS, records_from_database


class Command(BaseCommand):
    help = "Write the search vocabulary as SKOS (Turtle) or CSV."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=sorted(FORMATS), default="ttl")
        parser.add_argument("--out", help="file to write (default: standard output)")

    def handle(self, *args, format, out=None, **options):
        text = FORMATS[format][0](records_from_database())
        if out:
            Path(out).write_text(text, encoding="utf-8")
            self.stderr.write(f"wrote {out}")
        else:
            self.stdout.write(text, ending="")
