"""Queue (or send at once) the daily or weekly digests of followed themes, projects and searches.

Run it from cron, e.g. every morning and every Monday morning:

    0 7 * * *  cd /srv/menetelmapankki && .venv/bin/python manage.py send_digests daily
    0 7 * * 1  cd /srv/menetelmapankki && .venv/bin/python manage.py send_digests weekly
"""

from django.core.management.base import BaseCommand

from methodbank.follows.digests import digest_recipients, digest_send
from methodbank.follows.models import Frequency
from methodbank.follows.tasks import send_digest


class Command(BaseCommand):
    help = "Queue one digest task per user who follows something with the given frequency."

    def add_arguments(self, parser):
        parser.add_argument("frequency", choices=Frequency.values)
        parser.add_argument(
            "--now", action="store_true", help="Send in this process instead of queueing tasks for the worker."
        )

    def handle(self, *, frequency, now, **options):
        users = digest_recipients(frequency=frequency)
        if now:
            sent = sum(digest_send(user_id=user_id, frequency=frequency) for user_id in users)
            self.stdout.write(f"{sent} {frequency} digest(s) sent to {len(users)} user(s) with follows.")
        else:
            for user_id in users:
                send_digest.enqueue(user_id, frequency)
            self.stdout.write(f"{len(users)} {frequency} digest task(s) queued.")
