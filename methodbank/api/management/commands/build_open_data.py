from django.core.management.base import BaseCommand

from methodbank.api.opendata import dump_directory, open_data_build


class Command(BaseCommand):
    help = "Rebuild the open-data dumps (JSON, CSV and XLSX of everything published) under MEDIA_ROOT/opendata/."

    def handle(self, *args, **options):
        counts = open_data_build()
        if options["verbosity"]:
            self.stdout.write(
                f"Wrote {counts['entries']} entries and {counts['projects']} projects to {dump_directory()}"
            )
