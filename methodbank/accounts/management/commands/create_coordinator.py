"""``manage.py create_coordinator EMAIL``: the first coordinator, who can sign in at once.

``createsuperuser`` leaves an account whose first sign-in stops at "verify your e-mail" (the site
requires verified addresses); this command marks the address verified, puts the account in the
coordinator group and gives it staff status for the admin. The password is asked twice on a
terminal; piped in (``printf 'pw\\n' | manage.py create_coordinator EMAIL``) it is read from the
first line of standard input. An existing account is promoted and keeps its password.
"""

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from methodbank.accounts.services import user_create_coordinator


class Command(BaseCommand):
    help = "Create a coordinator (or promote an existing account) who can sign in at once."
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("email", help="The coordinator's e-mail address (the sign-in name).")

    def _read_password(self, stdin) -> str:
        if stdin.isatty():
            first = getpass.getpass("Password: ")
            if first != getpass.getpass("Password (again): "):
                raise CommandError("The passwords did not match; nothing was changed.")
            return first
        return stdin.readline().rstrip("\r\n")

    def handle(self, *args, email, **options):
        from django.contrib.auth import get_user_model

        exists = get_user_model().objects.filter(email__iexact=email.strip()).exists()
        password = None if exists else self._read_password(options.get("stdin") or sys.stdin)
        try:
            user, created = user_create_coordinator(email=email, password=password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages) + " Nothing was changed.") from exc
        verb = "Created" if created else "Promoted"
        self.stdout.write(
            f"{verb} coordinator {user.email}: e-mail verified, in the coordinator group, staff. "
            "Sign in at /fi/tili/login/."
        )
