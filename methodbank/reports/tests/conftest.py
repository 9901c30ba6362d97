import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Report files go to a temporary MEDIA_ROOT; tasks run inline unless a test says otherwise."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.SITE_URL = "https://bank.example"


@pytest.fixture(autouse=True)
def _english():
    """Assertions read the English source strings (the Finnish catalog is tested by the locale work)."""
    with translation.override("en"):
        yield
