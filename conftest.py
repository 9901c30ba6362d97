"""Shared fixtures: role users (visitor, contributor, coordinator, expert) and the imported seed."""

import pytest
from django.core.management import call_command

from methodbank.accounts.roles import Role

SEED_PATH = "data/zoomi-2020/report.txt"


@pytest.fixture
def visitor(client):
    """An anonymous visitor is just the test client without a login."""
    return client


@pytest.fixture
def contributor(django_user_model):
    return django_user_model.objects.create_user(
        username="contributor", email="contributor@example.org", password="pw-contributor-123"
    )


@pytest.fixture
def coordinator(django_user_model):
    from methodbank.accounts.services import user_add_role

    user = django_user_model.objects.create_user(
        username="coordinator", email="coordinator@example.org", password="pw-coordinator-123", is_staff=True
    )
    user_add_role(user=user, role=Role.COORDINATOR)
    return user


@pytest.fixture
def expert(django_user_model):
    from methodbank.accounts.services import user_add_role

    user = django_user_model.objects.create_user(
        username="expert", email="expert@example.org", password="pw-expert-123"
    )
    user_add_role(user=user, role=Role.EXPERT)
    return user


def pytest_collection_modifyitems(config, items):
    """A test that commits (``transaction=True``) must also restore the migrations' rows
    (``serialized_rollback=True``). Without it, its teardown's flush re-creates the content types under
    new ids (SQLite never reuses an id), and every later serialized test then fails to load its
    snapshot ("UNIQUE constraint failed: django_content_type"), far from the test at fault."""
    wrong = []
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None:
            continue
        transactional = marker.kwargs.get("transaction", marker.args[0] if marker.args else False)
        serialized = marker.kwargs.get("serialized_rollback", marker.args[3] if len(marker.args) > 3 else False)
        if transactional and not serialized:
            wrong.append(item.nodeid)
    if wrong:
        raise pytest.UsageError(
            "Mark these tests django_db(transaction=True, serialized_rollback=True):\n  " + "\n  ".join(wrong)
        )


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, answering one request at a time on the in-memory SQLite test
    database (see methodbank/core/tests/live_server.py)."""
    import os

    from methodbank.core.tests.live_server import live_server_for_tests

    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = live_server_for_tests(addr)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def seeded_db(django_db_setup, django_db_blocker):
    """The whole Zoomi 2020 catalog, imported once per test module inside a transaction that is
    rolled back when the module ends, so factory-built tests elsewhere never see it.

    Tests in the module run in savepoints inside that transaction (as with Django's
    ``setUpTestData``); do not combine it with ``transaction=True`` tests or ``live_server``.
    """
    from django.db import transaction

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("import_report", SEED_PATH, verbosity=0)
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Finnish. A request to /sv/ or /en/ activates that language for the
    thread (LocaleMiddleware never deactivates it), which would leak into the next test's reverse()
    and gettext calls."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _page_cache_off_unless_asked(request, settings):
    """Tests read ``response.context``, which a page served from the cache does not have; the page
    cache itself is tested by the tests marked ``page_cache``."""
    if request.node.get_closest_marker("page_cache") is None:
        settings.PUBLIC_PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def _exact_shared_figures_unless_asked(request, settings):
    """A test that publishes and then reads a count must see it counted: the shared figures are
    never served stale (core/cache.py) except in the tests marked ``stale_figures``."""
    if request.node.get_closest_marker("stale_figures") is None:
        settings.SHARED_FIGURES_STALE_SECONDS = 0


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached pages and statistics from one test must not leak into the next."""
    from django.conf import settings
    from django.core.cache import caches

    def clear():
        for alias in settings.CACHES:
            caches[alias].clear()

    clear()
    yield
    clear()
