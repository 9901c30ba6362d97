from django.core.management.base import BaseCommand

from methodbank.usage.services import usage_flush


class Command(BaseCommand):
    help = "Add the usage hits counted in Redis to the monthly figures (safe to run at any time, from cron too)."

    def handle(self, *args, **options):
        result = usage_flush()
        self.stdout.write(f"flushed {result.batches} batches: {result.hits} hits written, {result.dropped} dropped")
