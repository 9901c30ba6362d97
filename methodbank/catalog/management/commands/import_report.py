"""python manage.py import_report PATH [--dry-run] [--source KEY]

Imports a method report in the Zoomi 2020 format (see catalog/importers/parser.py for the format
and for what counts as a file it cannot parse). Nothing is written when the file cannot be parsed:
the command stops with "line N: reason" and a non-zero exit status.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from methodbank.catalog.importers.loader import COUNTED, SOURCE_KEY_MAX, load_report, report_source_key
from methodbank.catalog.importers.parser import ParseError, parse_report
from methodbank.core.cache import registered_warmers, warm_shared_figures


class Command(BaseCommand):
    # The import needs the models only; URL or template checks would only slow command 1 down.
    requires_system_checks = []
    help = "Import a method report (text extracted from a PDF, e.g. data/zoomi-2020/report.txt) into the catalog."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the report's text file (UTF-8)")
        parser.add_argument("--dry-run", action="store_true", help="parse and report, write nothing")
        parser.add_argument(
            "--source",
            help="the report's key in Practice.source (default: from the report's title, e.g. "
            "zoomi-2020; never from the file's path)",
        )

    def handle(self, *args, path, dry_run, source, verbosity, **options):
        file = Path(path)
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from exc
        if source is not None and not 0 < len(source.strip()) <= SOURCE_KEY_MAX:
            raise CommandError(f"--source must be 1 to {SOURCE_KEY_MAX} characters long")
        started = time.perf_counter()
        try:
            report = parse_report(data)
            source_key = source.strip() if source else report_source_key(report)
            result = load_report(report, source_key=source_key, dry_run=dry_run)
        except ParseError as exc:
            raise CommandError(f"{path}: {exc} (nothing was imported)") from exc
        if not dry_run:
            # The figures every visitor shares (the front page's counts, the search page's facet
            # index), so that no visitor computes them after an import, with or without a worker.
            done = warm_shared_figures()
            if verbosity > 0 and len(done) < len(registered_warmers()):
                self.stderr.write("Some shared figures could not be computed: the pages will compute them.")
        elapsed = time.perf_counter() - started
        if verbosity == 0:
            return
        out = self.stdout
        title = "Dry run (nothing written)" if dry_run else "Imported"
        out.write(self.style.MIGRATE_HEADING(f"{title}: {path} as '{source_key}' in {elapsed:.1f} s"))
        out.write(f"  {'':<16}{'created':>9}{'unchanged':>11}{'updated':>9}")
        for what in COUNTED:
            out.write(
                f"  {what:<16}{result.created[what]:>9}{result.unchanged[what]:>11}{result.updated[what]:>9}"
            )
        out.write(
            f"  report: {len(report.entries)} entries "
            f"({sum(e.kind == 'model' for e in report.entries)} models, "
            f"{sum(e.kind == 'good_practice' for e in report.entries)} good practices), "
            f"{report.placement_count()} placements, {len(report.projects)} projects"
        )
        if result.bare_projects:
            out.write(self.style.MIGRATE_HEADING(
                f"Projects created from entries ({len(result.bare_projects)}): in neither annex, so without "
                "lead, end date or scope; complete or merge them in the admin:"
            ))
            for line, project in result.bare_projects:
                out.write(self.style.WARNING(f"  line {line}: '{project.name}'"))
        if report.relisted:
            out.write(self.style.MIGRATE_HEADING("Listed twice (one entry, two placements):"))
            for entry, line in report.relisted:
                out.write(f"  line {entry.line} and line {line}: '{entry.title}' ({entry.project_key})")
        if report.loose_matches:
            out.write(self.style.MIGRATE_HEADING("Project names matched loosely (spelling -> project):"))
            for match in report.loose_matches:
                out.write(f"  {match}")
        if report.warnings:
            out.write(self.style.MIGRATE_HEADING("Warnings:"))
            for warning in sorted(report.warnings, key=lambda w: w.line):
                out.write(self.style.WARNING(f"  {warning}"))
        if result.near_duplicates:
            out.write(self.style.MIGRATE_HEADING("Possible duplicates (new entry ~ similar entry):"))
            for practice, other, score in result.near_duplicates:
                out.write(self.style.WARNING(f"  '{practice.title}' ~ '{other.title}' (similarity {score:.2f})"))
        if result.findings:
            # Each finding is an item of the coordinators' data-quality queue (where an app keeps them).
            out.write(self.style.MIGRATE_HEADING(
                f"Findings: {len(result.findings)}, of which {result.queued} new in the data-quality queue"
            ))
        if verbosity >= 2 and report.notes:
            out.write(self.style.MIGRATE_HEADING("Notes:"))
            for note in report.notes:
                out.write(f"  {note}")
