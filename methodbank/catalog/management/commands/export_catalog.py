"""Write the published catalog as open data: ``export_catalog --format json|csv [--what entries|projects]
[--out FILE]``. The site's open-data downloads stream the same export (catalog.exports)."""

from django.core.management.base import BaseCommand, CommandError

from methodbank.catalog import exports


class Command(BaseCommand):
    help = "Export every published entry or project as JSON or CSV (stdout unless --out is given)."

    def add_arguments(self, parser):
        parser.add_argument("--format", dest="fmt", required=True, help="json or csv")
        parser.add_argument("--what", default="entries", help="entries (default) or projects")
        parser.add_argument("--out", default="", help="file to write; standard output when omitted")

    def handle(self, *args, fmt, what, out, **options):
        fmt = fmt.lower()
        what = what.lower()
        if fmt not in exports.FORMATS:
            raise CommandError(f"Unknown --format {fmt!r}: use one of {', '.join(exports.FORMATS)}.")
        if what not in exports.WHATS:
            raise CommandError(f"Unknown --what {what!r}: use one of {', '.join(exports.WHATS)}.")
        chunks = exports.export_chunks(what=what, fmt=fmt)
        if not out:
            try:
                for chunk in chunks:
                    self.stdout.write(chunk, ending="")
            except BrokenPipeError:
                # Piped into `head` or similar: the reader has all it wanted.
                pass
            return
        try:
            # newline="" keeps the CSV's \r\n line ends as the csv module wrote them.
            with open(out, "w", encoding="utf-8", newline="") as handle:
                for chunk in chunks:
                    handle.write(chunk)
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc.strerror or exc}") from exc
        if options["verbosity"] > 0:
            self.stderr.write(f"Wrote {what} ({fmt}) to {out}")
