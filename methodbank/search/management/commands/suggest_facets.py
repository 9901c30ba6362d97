"""Suggest browse values (target group, education level, transition stage) for entries from their
text. Confirmed and rejected values are kept; coordinators decide the suggestions at
/moderointi/selausarvot/."""

from django.core.management.base import BaseCommand

from methodbank.search.services import facet_suggestions_update


class Command(BaseCommand):
    help = "(Re)compute the suggested browse values of every entry, or of the given entry ids."

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Entry ids (default: every entry).")

    def handle(self, *args, ids=(), **options):
        totals = facet_suggestions_update(practice_ids=ids or None)
        self.stdout.write(
            f"{totals['entries']} entries read, {totals['suggested']} new suggestions, "
            f"{totals['removed']} suggestions the text no longer supports removed."
        )
