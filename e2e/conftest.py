"""Browser tests: Playwright's sync API drives Debian's chromium against pytest-django's live_server."""

import os

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the test
# (fixtures, assertions) would otherwise be refused as "async unsafe".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
