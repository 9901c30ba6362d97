import time

from django.core.management.base import BaseCommand

from methodbank.search.indexing import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the search index from every published entry."

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = search_index_rebuild()
        elapsed = time.perf_counter() - started
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(f"Indexed {count} published entries in {elapsed:.1f} s."))
