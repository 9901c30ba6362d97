"""Shared fixtures for the hostile-input tests.

``unchanged`` takes a dump of everything the bank stores (every row of every methodbank app, what
``dumpdata`` would write, plus the files under MEDIA_ROOT with their bytes) and returns a check that compares a fresh dump with it.
Fields that legitimately change on a harmless request are left out: ``last_login`` (a log-in) and
an API token's ``last_used_at`` (any authenticated API call). Everything else must be identical
after a request that has to be refused.
"""

from pathlib import Path

import pytest
from django.apps import apps
from django.utils import translation

from methodbank.contributions.tests.factories import PracticeFactory, ProjectFactory, UserFactory

APP_LABELS = ("core", "accounts", "catalog", "search", "contributions", "evaluation", "reports", "api")
VOLATILE_FIELDS = {"last_login", "last_used_at"}

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
]
# What may never appear in a page that shows a payload back: live markup from the payload.
LIVE_MARKUP = ("<script>alert", "<img src=x", 'href="javascript:', "href='javascript:", "onerror=alert(1)>")


def assert_no_live_markup(html: str, where: str):
    for live in LIVE_MARKUP:
        assert live not in html, f"{where}: live markup {live!r} in the page"


# Written by design on every search (no personal data): a hostile search may add a log row, never
# change what the bank holds.
LOGS = {"search.searchlogentry"}
# What a page view may write besides the logs: the last value of a shared figure (a copy of the
# cache's, core/shared_figures.py), not data.
FIGURE_COPIES = {"core.sharedfigure"}


def bank_dump(media_root=None) -> dict:
    """Every row of every model (and many-to-many table) of the bank's apps, as ``dumpdata`` would
    see them, read with ``values()`` because the serializer is several times slower."""
    rows = []
    for label in APP_LABELS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.label_lower in LOGS | FIGURE_COPIES:
                continue
            for row in model._base_manager.order_by("pk").values():
                for name in VOLATILE_FIELDS:
                    row.pop(name, None)
                rows.append((model._meta.label_lower, row))
    files = []
    if media_root is not None and Path(media_root).exists():
        root = Path(media_root)
        files = sorted((str(p.relative_to(root)), p.read_bytes()) for p in root.rglob("*") if p.is_file())
    return {"rows": rows, "files": files}


@pytest.fixture(autouse=True)
def _security_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Argon2 is deliberately slow; these tests are not about hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.API_THROTTLE_ANON_RATE = "10000/min"
    settings.API_THROTTLE_TOKEN_RATE = "10000/min"


@pytest.fixture(autouse=True)
def _english():
    """Assertions read the English source strings."""
    with translation.override("en"):
        yield


@pytest.fixture
def unchanged(settings):
    """``check = unchanged()`` takes the dump; ``check(where)`` after the hostile request fails when
    anything stored changed since."""

    def snapshot():
        media_root = settings.MEDIA_ROOT
        before = bank_dump(media_root)
        return lambda where="": _compare(before, bank_dump(media_root), where)

    return snapshot


def _compare(before, after, where):
    assert after["files"] == before["files"], f"{where}: files under MEDIA_ROOT changed"
    if after["rows"] != before["rows"]:
        old = {(model, row.get("id")): row for model, row in before["rows"]}
        new = {(model, row.get("id")): row for model, row in after["rows"]}
        changed = sorted(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))
        pytest.fail(f"{where}: stored data changed: {changed[:10]}")


@pytest.fixture
def owner(db):
    return UserFactory(email="owner@example.org")


@pytest.fixture
def intruder(db):
    return UserFactory(email="intruder@example.org")


@pytest.fixture
def team_project(owner):
    project = ProjectFactory(owner=owner)
    project.members.add(owner)
    return project


@pytest.fixture
def draft(owner, team_project):
    return PracticeFactory(owner=owner, project=team_project, title="Owner's secret draft",
                           summary="Confidential draft summary.")
