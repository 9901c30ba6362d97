"""Write the published catalog as open data: ``export_catalog --format json|csv|xlsx
[--what entries|projects] [--out FILE]``. The site's open-data downloads stream the same export (catalog.exports)."""

from django.core.management.base import BaseCommand, CommandError

from methodbank.catalog import exports


class Command(BaseCommand):
    help = "Export every published entry or project as JSON, CSV or XLSX (stdout unless --out is given)."

    def add_arguments(self, parser):
        parser.add_argument("--format", dest="fmt", required=True, help="json, csv or xlsx")
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
        if fmt == "xlsx":
            self._write_binary(b"".join(chunks), out, what=what, verbosity=options["verbosity"])
            return
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

    def _write_binary(self, content: bytes, out: str, *, what: str, verbosity: int) -> None:
        if not out:
            # A workbook is binary: written as bytes, so it survives being piped into a file.
            self.stdout.flush()
            stream = getattr(self.stdout._out, "buffer", None)
            if stream is None:
                raise CommandError("An XLSX workbook is binary: give --out FILE.")
            stream.write(content)
            stream.flush()
            return
        try:
            with open(out, "wb") as handle:
                handle.write(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {out}: {exc.strerror or exc}") from exc
        if verbosity > 0:
            self.stderr.write(f"Wrote {what} (xlsx) to {out}")
