import json

from django.core.management.base import BaseCommand, CommandError

from methodbank.catalog.models import Practice
from methodbank.search.selectors import search_entries


class Command(BaseCommand):
    help = 'Search the published entries, e.g. search "opinto-ohjaajalle" --limit 5 --json'

    def add_arguments(self, parser):
        parser.add_argument("query", help='Search words; "phrase", prefix*, -excluded work as on the site.')
        parser.add_argument("--limit", type=int, default=10, help="How many results (default 10).")
        parser.add_argument("--language", default="fi", choices=["fi", "sv", "en"], help="Query language.")
        parser.add_argument(
            "--json",
            action="store_true",
            help='Print JSON: {"results": [...], "did_you_mean": ..., "other_searches": [...]}.',
        )

    def handle(self, *args, **options):
        if options["limit"] < 1:
            raise CommandError("--limit must be at least 1.")
        if not options["query"].strip():
            raise CommandError("Give some search words.")
        results = search_entries(text=options["query"], language=options["language"])
        entries = results.entries[: options["limit"]]
        practices = Practice.objects.select_related("project").in_bulk([e.practice_id for e in entries])
        rows = []
        for entry in entries:
            practice = practices[entry.practice_id]
            rows.append(
                {
                    "id": practice.pk,
                    "title": practice.title,
                    "score": round(entry.score, 4),
                    "kind": practice.kind,
                    "project": practice.project.name if practice.project else None,
                    "url": practice.get_absolute_url(),
                    "matches_all_words": entry.complete,
                }
            )
        if options["json"]:
            output = {
                "results": rows,
                "did_you_mean": results.suggestion or None,
                "other_searches": results.suggestions,
            }
            self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))
            return
        if results.suggestion:
            self.stdout.write(f"Did you mean: {results.suggestion}")
        if results.suggestions:
            self.stdout.write("Other searches: " + ", ".join(results.suggestions))
        if not rows:
            self.stdout.write("No results.")
            return
        for number, row in enumerate(rows, 1):
            marker = "" if row["matches_all_words"] else "  (some words)"
            self.stdout.write(
                f"{number:>3}. {row['score']:8.3f}  {row['title']} [{row['project'] or '-'}]{marker}"
            )
