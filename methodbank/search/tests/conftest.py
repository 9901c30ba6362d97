import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_search_caches():
    """Collection statistics are cached per index version in the local cache; a rolled-back test
    must not leave its numbers to the next one."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _search_only_this_tests_entries(request):
    """Tests with their own small catalog must not see the seed catalog that a session-wide
    ``seeded_db`` may have imported earlier: hide it inside the test's transaction (rolled back
    afterwards). The quality test asks for ``seeded_db`` and keeps it."""
    uses_db = "db" in request.fixturenames or request.node.get_closest_marker("django_db") is not None
    if "seeded_db" in request.fixturenames or not uses_db:
        yield
        return
    request.getfixturevalue("db")
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat

    from methodbank.catalog.models import Practice, PublicationStatus
    from methodbank.search.models import SearchDocument, SearchPosting, SearchTerm, SearchTermVector

    if Practice.objects.exists():
        Practice.objects.update(
            status=PublicationStatus.ARCHIVED,
            slug=Concat(
                Value("seed-"), Cast("id", CharField()), Value("-"), "slug", output_field=CharField()
            ),
        )
        SearchPosting.objects.all().delete()
        SearchTermVector.objects.all().delete()
        SearchDocument.objects.all().delete()
        SearchTerm.objects.all().delete()
    yield
