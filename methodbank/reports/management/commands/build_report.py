from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from methodbank.reports.authored import problems_message
from methodbank.reports.builder import EmptySelectionError, build_report_context
from methodbank.reports.models import ReportDefinition, ReportFormat
from methodbank.reports.renderers import render_report


class Command(BaseCommand):
    help = "Build a report from a saved definition as HTML, PDF or DOCX."

    def add_arguments(self, parser):
        parser.add_argument("--definition", default="zoomi-2020", help="Definition slug (default: zoomi-2020).")
        parser.add_argument("--format", required=True, choices=ReportFormat.values)
        parser.add_argument("--out", required=True, help="File to write.")

    def handle(self, *args, definition, format, out, **options):
        try:
            report_definition = ReportDefinition.objects.get(slug=definition)
        except ReportDefinition.DoesNotExist:
            known = ", ".join(ReportDefinition.objects.values_list("slug", flat=True)) or "-"
            raise CommandError(f"No report definition {definition!r}. Known definitions: {known}.") from None
        try:
            context = build_report_context(report_definition)
        except EmptySelectionError as exc:
            raise CommandError(str(exc)) from exc
        if context["contradictions"]:
            # Nothing is written: a report whose prose contradicts its numbers must not go out.
            raise CommandError(problems_message(context["contradictions"]))
        content = render_report(context, format)
        path = Path(out)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc}") from exc
        counts = context["counts"]
        self.stdout.write(
            f"Wrote {path} ({len(content):,} bytes): {counts['entries']} entries "
            f"({counts['models']} models, {counts['good_practices']} good practices), "
            f"{len(context['themes'])} themes, {counts['projects']} projects."
        )
