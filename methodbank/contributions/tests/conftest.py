import pytest
from django.utils import translation

from methodbank.accounts.roles import Role
from methodbank.accounts.services import user_add_role

from .factories import PracticeFactory, ProjectFactory, UserFactory


@pytest.fixture(autouse=True)
def _english():
    # The assertions read the English source strings: request the /en/ pages (Finnish is the default).
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Argon2 is deliberately slow; these tests are not about hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def owner(db):
    return UserFactory(email="owner@example.org")


@pytest.fixture
def other(db):
    return UserFactory(email="other@example.org")


@pytest.fixture
def teammate(db):
    return UserFactory(email="teammate@example.org")


@pytest.fixture
def moderator(db):
    user = UserFactory(email="coordinator@example.org")
    user_add_role(user=user, role=Role.COORDINATOR)
    return user


@pytest.fixture
def team_project(owner, teammate):
    project = ProjectFactory(owner=owner)
    project.members.add(owner, teammate)
    return project


@pytest.fixture
def draft(owner, team_project):
    return PracticeFactory(owner=owner, project=team_project)
