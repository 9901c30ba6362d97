import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_interface():
    """Assert on the English source strings, whatever Finnish translations are added later."""
    with translation.override("en"):
        yield
