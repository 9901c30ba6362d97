from django.conf import settings
from django.core.management.base import BaseCommand

from methodbank.search.services import search_log_purge


class Command(BaseCommand):
    help = "Delete search log rows older than SEARCH_LOG_RETENTION_DAYS."

    def handle(self, *args, **options):
        deleted = search_log_purge()
        self.stdout.write(f"deleted {deleted} rows older than {settings.SEARCH_LOG_RETENTION_DAYS} days")
