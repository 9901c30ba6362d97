"""Browser tests: Playwright's sync API drives Debian's chromium against a live Django server.
Helpers (axe-core, focus, reflow, the shared server) are in browser_support.py."""

import os

import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS, committed_data_and_server

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls from the test
# (fixtures, assertions) would otherwise be refused as "async unsafe".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser():
    """One chromium per test module. Not per session: a module that starts its own
    ``sync_playwright()`` cannot run while another sync Playwright is still open."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture(scope="module")
def shared_site(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """Module-scoped committed data + live server. The test module names its builder
    (``SITE_BUILDER = some_function``, returning a dict) and marks its tests ``django_db``
    (plain, not transactional: nothing is flushed between the tests)."""
    from django.test.utils import override_settings

    build = request.module.SITE_BUILDER
    media = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media), committed_data_and_server(django_db_blocker, build) as data:
        # The pages read the database while the tests run: keep database access open for the module.
        yield data


@pytest.fixture
def site(shared_site, django_db_blocker):
    """``shared_site`` for one test, with database access allowed (the server thread needs it)."""
    with django_db_blocker.unblock():
        yield shared_site
