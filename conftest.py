"""Shared fixtures: role users (visitor, contributor, coordinator, expert) and the imported seed."""

import pytest
from django.core.management import call_command

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
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username="coordinator", email="coordinator@example.org", password="pw-coordinator-123", is_staff=True
    )
    group, _ = Group.objects.get_or_create(name="coordinator")
    user.groups.add(group)
    return user


@pytest.fixture
def expert(django_user_model):
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username="expert", email="expert@example.org", password="pw-expert-123"
    )
    group, _ = Group.objects.get_or_create(name="expert")
    user.groups.add(group)
    return user


@pytest.fixture(scope="session")
def seeded_db(django_db_setup, django_db_blocker):
    """The whole Zoomi 2020 catalog, imported once per test session.

    Tests that use it must not write to the database (use ``django_db`` with the real data read-only),
    or wrap their writes so they are rolled back.
    """
    with django_db_blocker.unblock():
        call_command("import_report", SEED_PATH, verbosity=0)
    yield
    with django_db_blocker.unblock():
        from django.apps import apps

        for label in ["catalog.Placement", "catalog.PracticeLink", "catalog.Practice", "catalog.Project",
                      "catalog.Organisation", "catalog.Keyword", "catalog.Subtheme"]:
            apps.get_model(label).objects.all().delete()
