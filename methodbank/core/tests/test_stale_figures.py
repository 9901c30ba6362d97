"""Shared figures served stale for a bounded time after a change, and recomputed after the response
(core/cache.py, "Stale while revalidate")."""

import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from methodbank.catalog.models import PublicationStatus
from methodbank.catalog.tests.factories import PlacementFactory, PracticeFactory
from methodbank.core.cache import (
    RETIRED_KEY,
    cached_until_catalog_changes,
    catalog_changed,
    catalog_version,
    page_view,
    refresh_stale_figures,
)
from methodbank.core.models import CatalogGeneration, SharedFigure

pytestmark = [pytest.mark.django_db, pytest.mark.stale_figures]

BOUND = 30


@pytest.fixture(autouse=True)
def _bounded(settings):
    settings.SHARED_FIGURES_STALE_SECONDS = BOUND
    settings.WARM_SHARED_FIGURES = False


def _anonymous_get():
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    return request


def _figure(value, name="figure"):
    """The shared figure as a page reads it; ``value`` is what computing it now gives."""
    return cached_until_catalog_changes(name, lambda: value, stale_while_revalidate=True)


def _change():
    catalog_changed()  # what a save of a published entry does (its commit's second bump aside)


def test_after_a_change_an_anonymous_page_gets_the_figure_before_it_and_it_is_recomputed_after_the_response():
    assert _figure("one entry") == "one entry"  # outside a page: computed and kept
    _change()
    with page_view(_anonymous_get()) as page:
        assert _figure("two entries") == "one entry"
    assert page.served_stale
    assert list(page.refresh) == ["figure"]

    refresh_stale_figures(page.refresh)  # what the response's closer does once it is sent
    assert cache.get(f"data:{catalog_version()}:figure") == "two entries"
    with page_view(_anonymous_get()) as page:
        assert _figure("not computed again") == "two entries"
    assert not page.served_stale and not page.refresh


def test_a_stale_figure_is_not_served_past_the_bound():
    _figure("old")
    _change()
    retired_version = catalog_version() - 1
    cache.set(RETIRED_KEY.format(retired_version), time.time() - BOUND - 1)
    with page_view(_anonymous_get()) as page:
        assert _figure("new") == "new"  # computed by the page, as without a stale value
    assert not page.served_stale

    # Nor when the time it went out of date is unknown (evicted): it may be older than the bound.
    _change()
    cache.delete(RETIRED_KEY.format(catalog_version() - 1))
    with page_view(_anonymous_get()):
        assert _figure("newer") == "newer"


def test_a_burst_of_changes_does_not_extend_the_bound():
    _figure("before the import")
    _change()
    first_retired = catalog_version() - 1
    cache.set(RETIRED_KEY.format(first_retired), time.time() - BOUND - 1)
    for _ in range(5):  # the import goes on: each change is recent, the figure is not
        _change()
    with page_view(_anonymous_get()):
        assert _figure("after the import") == "after the import"


def test_cold_start_computes_the_figure_in_the_page():
    with page_view(_anonymous_get()) as page:
        assert _figure("computed") == "computed"
    assert not page.served_stale and not page.refresh


def test_signed_in_users_and_writes_always_get_the_exact_figure(contributor):
    _figure("old")
    _change()
    request = RequestFactory().get("/")
    request.user = contributor
    with page_view(request) as page:
        assert _figure("new") == "new"
    assert not page.served_stale

    _change()
    request = RequestFactory().post("/")
    request.user = AnonymousUser()
    with page_view(request):
        assert _figure("newer") == "newer"


def test_outside_a_page_view_the_figure_is_exact():
    _figure("old")
    _change()
    assert _figure("new") == "new"  # a task, a command, a selector in a test


def test_the_bound_zero_never_serves_stale(settings):
    settings.SHARED_FIGURES_STALE_SECONDS = 0
    _figure("old")
    _change()
    with page_view(_anonymous_get()):
        assert _figure("new") == "new"


def test_a_figure_made_of_a_stale_one_is_built_on_the_exact_one():
    _figure("3 entries", name="counts")
    _change()
    with page_view(_anonymous_get()):
        # Kept for the whole version: it must not be made of the counts before the change.
        made = cached_until_catalog_changes("topics", lambda: f"topics of {_figure('4 entries', name='counts')}")
    assert made == "topics of 4 entries"


def test_with_a_worker_expected_the_page_leaves_the_recompute_to_it_for_a_third_of_the_bound(settings):
    settings.WARM_SHARED_FIGURES = True
    _figure("old")
    _change()
    with page_view(_anonymous_get()) as page:
        assert _figure("new") == "old"
    assert page.served_stale and not page.refresh

    # No worker came: past a third of the bound the page recomputes it after the response.
    cache.set(RETIRED_KEY.format(catalog_version() - 1), time.time() - BOUND / 3 - 1)
    with page_view(_anonymous_get()) as page:
        assert _figure("new") == "old"
    assert list(page.refresh) == ["figure"]


def test_one_process_recomputes_a_figure_per_version():
    _figure("old")
    _change()
    computed = []

    def compute():
        computed.append(1)
        return "new"

    with page_view(_anonymous_get()) as first:
        cached_until_catalog_changes("figure", compute, stale_while_revalidate=True)
    with page_view(_anonymous_get()) as second:
        cached_until_catalog_changes("figure", compute, stale_while_revalidate=True)
    # Another process is computing it (the lock is taken; its value is not stored yet).
    cache.add(f"refreshing:{catalog_version()}:figure", 1, BOUND)
    refresh_stale_figures(first.refresh)
    assert computed == []
    cache.delete(f"refreshing:{catalog_version()}:figure")
    refresh_stale_figures(first.refresh)
    refresh_stale_figures(second.refresh)  # already done: not computed again
    assert computed == [1]


def test_a_figure_kept_for_a_time_keeps_it_when_recomputed():
    cached_until_catalog_changes("selection", lambda: "old", timeout=60, stale_while_revalidate=True)
    _change()
    with page_view(_anonymous_get()) as page:
        cached_until_catalog_changes("selection", lambda: "new", timeout=60, stale_while_revalidate=True)
    refresh_stale_figures(page.refresh)
    # A figure per selection (search/selectors._browse_facets) must not stay for good once recomputed.
    for key in (f"data:{catalog_version()}:selection", "latest:selection"):
        expires = cache._expire_info[cache.make_key(key)]  # the test cache is LocMemCache
        assert expires is not None and expires <= time.time() + 60


def test_a_failing_recompute_is_logged_and_leaves_the_page_alone(caplog):
    _figure("old")
    _change()
    with page_view(_anonymous_get()) as page:
        cached_until_catalog_changes("figure", lambda: 1 / 0, stale_while_revalidate=True)
    refresh_stale_figures(page.refresh)
    assert "recomputing figure failed" in caplog.text
    assert cache.get(f"data:{catalog_version()}:figure") is None


def test_with_the_cache_down_the_database_keeps_the_figures(settings):
    # Nothing listens on this port: every cache call fails (django-redis ignores it, as in production).
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    _figure("old")
    with page_view(_anonymous_get()):
        assert _figure("not computed") == "old"  # nothing changed: the database's, exact
    _change()
    with page_view(_anonymous_get()) as page:
        assert _figure("new") == "old"  # one change ago, within the bound
    assert page.served_stale
    refresh_stale_figures(page.refresh)  # no lock to take: nothing done, no error
    _change()  # two changes behind: the time of the first is not kept, the page computes
    with page_view(_anonymous_get()) as page:
        assert _figure("newer") == "newer"
    assert not page.served_stale
    with page_view(_anonymous_get()):
        assert _figure("not computed") == "newer"


# --- Kept in the database: a cache that lost everything (a deploy, a Redis restart) -------------


def _cache_lost():
    cache.clear()


def test_a_cache_that_lost_everything_gets_the_figure_from_the_database_while_the_catalog_is_unchanged():
    assert _figure("computed once") == "computed once"
    _cache_lost()
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with page_view(request) as page:
        assert _figure("computed again") == "computed once"
    assert not page.served_stale  # exact: served to anyone, and the page may be cached
    assert _figure("computed again") == "computed once"  # outside a page (a task) too
    assert cache.get(f"data:{catalog_version()}:figure") == "computed once"  # back in the cache


def test_a_change_in_a_rolled_back_transaction_leaves_the_database_figure_exact():
    from django.db import transaction

    _figure("before")
    with transaction.atomic():
        _change()
        transaction.set_rollback(True)
    _cache_lost()
    assert _figure("not computed") == "before"


def test_after_a_change_and_a_lost_cache_the_database_figure_is_stale_within_the_bound_only(contributor):
    _figure("before")
    _change()
    _cache_lost()
    with page_view(_anonymous_get()) as page:
        assert _figure("after") == "before"
    assert page.served_stale and list(page.refresh) == ["figure"]
    refresh_stale_figures(page.refresh)
    _cache_lost()
    assert _figure("not computed") == "after"  # the recompute was kept in the database too

    # Signed in: exact.
    _change()
    _cache_lost()
    request = RequestFactory().get("/")
    request.user = contributor
    with page_view(request):
        assert _figure("exact") == "exact"

    # Past the bound: computed.
    _change()
    _cache_lost()
    CatalogGeneration.objects.update(changed_at=timezone.now() - timedelta(seconds=BOUND + 1))
    with page_view(_anonymous_get()):
        assert _figure("computed") == "computed"


def test_a_figure_computed_while_the_catalog_changed_is_not_kept_as_exact(monkeypatch):
    def compute():
        _change()  # committed by another process while this one computes
        return "read before the change"

    cached_until_catalog_changes("figure", compute, stale_while_revalidate=True)
    _cache_lost()
    assert _figure("read after it") == "read after it"


def test_figures_kept_per_selection_are_not_kept_in_the_database():
    cached_until_catalog_changes("selection", lambda: "one", timeout=60, stale_while_revalidate=True)
    cached_until_catalog_changes("per-entry", lambda: "one")
    assert not SharedFigure.objects.exists()
    _figure("shared")
    assert list(SharedFigure.objects.values_list("name", flat=True)) == ["figure"]


def test_a_value_that_no_longer_loads_counts_as_none(caplog):
    _figure("old code's")
    SharedFigure.objects.update(value=b"not a pickle")
    _cache_lost()
    assert _figure("computed") == "computed"
    assert "does not load" in caplog.text


def test_a_migration_moves_the_generation(django_db_blocker):
    from django.apps import apps as global_apps

    from methodbank.core.cache import advance_generation_after_migrate

    _figure("before the migration")
    advance_generation_after_migrate(sender=None, apps=global_apps, using="default")
    _cache_lost()
    assert _figure("after it") == "after it"
    advance_generation_after_migrate(sender=None, apps=None)  # flush: nothing, no error


# --- Through the pages ---------------------------------------------------------------------------


def _publish(title):
    practice = PracticeFactory(title=title, status=PublicationStatus.PUBLISHED)
    PlacementFactory(practice=practice)
    return practice


def _front_page_total(response) -> int:
    return response.context["totals"]["entries"]


@pytest.fixture
def locmem_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "stale"}}
    cache.clear()
    yield
    cache.clear()


@pytest.mark.page_cache
def test_front_page_after_a_publish_shows_the_counts_before_it_once_and_does_not_cache_that_page(
    client, locmem_cache, contributor
):
    _publish("Kesäkoulu")
    assert _front_page_total(client.get(reverse("core:home"))) == 1
    _publish("Vertaismentorointi")

    stale = client.get(reverse("core:home"))
    assert _front_page_total(stale) == 1  # off by the last publish, for one page
    assert "X-Accel-Expires" not in stale
    # The counts were recomputed once that response was sent (the test client closes it): the next
    # visitor gets them exact, and that page is the one kept in the page cache.
    fresh = client.get(reverse("core:home"))
    assert _front_page_total(fresh) == 2
    assert client.get(reverse("core:home")).context is None  # served from the page cache

    # Signed in, the counts of one's own publish are exact at once.
    client.force_login(contributor)
    _publish("Ohjaamo")
    assert _front_page_total(client.get(reverse("core:home"))) == 3


def _theme_counts(response) -> int:
    themes = next(f for f in response.context["results"].facets if f.param == "theme")
    return sum(v.count for v in themes.values)


def test_search_page_after_a_publish_serves_the_facets_before_it_and_then_the_new_ones(client, locmem_cache):
    _publish("Kesäkoulu")
    assert _theme_counts(client.get(reverse("search:search"))) == 1
    _publish("Vertaismentorointi")

    stale = client.get(reverse("search:search"))
    assert _theme_counts(stale) == 1  # the facets as they were before the publish
    assert stale.context["results"].count == 2  # the list itself is read as it is
    assert _theme_counts(client.get(reverse("search:search"))) == 2
