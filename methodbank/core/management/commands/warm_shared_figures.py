import time

from django.core.management.base import BaseCommand, CommandError

from methodbank.core.cache import registered_warmers, warm_shared_figures


class Command(BaseCommand):
    help = (
        "Compute the whole-catalog figures every visitor shares (the front page's counts, the search page's "
        "facets) into the cache and the database, so that no visitor waits for them after a deploy or a cache "
        "flush. Idempotent: a figure already current in the cache or the database is not computed again, "
        "unless --recompute (after a deploy whose code may count differently)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--recompute", action="store_true", help="compute every figure again, whatever is kept"
        )

    def handle(self, *args, **opts):
        started = time.monotonic()
        done = warm_shared_figures(recompute=opts["recompute"])
        failed = [name for name in registered_warmers() if name not in done]
        if failed:
            # warm_shared_figures logged each failure with its traceback.
            raise CommandError(f"could not compute: {', '.join(failed)} (the pages will compute them)")
        if opts["verbosity"] > 0:
            self.stdout.write(
                f"Shared figures ready ({', '.join(done) or 'none registered'}) in {time.monotonic() - started:.1f} s."
            )
