"""The per-process stores (process_store): kept between calls, dropped when the catalog changes or
the shared cache is cleared, bounded."""

import pytest
from django.core.cache import cache

from methodbank.core.cache import catalog_changed
from methodbank.search import process_store

pytestmark = pytest.mark.django_db


def test_a_store_is_kept_until_the_catalog_changes():
    store = process_store.store("t", 10)
    store["a"] = 1
    assert process_store.store("t", 10) == {"a": 1}
    catalog_changed()
    assert process_store.store("t", 10) == {}


def test_a_cleared_cache_starts_new_stores():
    process_store.store("t", 10)["a"] = 1
    cache.clear()
    assert process_store.store("t", 10) == {}


def test_a_full_store_starts_again_empty_and_the_old_dict_stays_whole():
    full = process_store.store("t", 2)
    full.update(a=1, b=2)
    fresh = process_store.store("t", 2)
    assert fresh == {} and fresh is not full
    assert full == {"a": 1, "b": 2}


def test_within_a_request_the_catalog_version_is_read_once_and_forgotten_after_a_change(client, monkeypatch):
    from methodbank.core import cache as core_cache

    reads = []
    real_get = cache.get

    def counting_get(key, *args, **kwargs):
        reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(cache, "get", counting_get)
    # The cache's own receivers of request_started/finished: sending the signals would also run
    # Django's close_old_connections, which closes the test's PostgreSQL connection, and a change
    # now writes the catalog's generation (core/shared_figures.py).
    core_cache._request_begins()
    try:
        first = core_cache.catalog_version()
        assert core_cache.catalog_version() == first
        assert reads.count(core_cache.VERSION_KEY) == 1
        catalog_changed()
        assert core_cache.catalog_version() == first + 1
        assert reads.count(core_cache.VERSION_KEY) == 2
    finally:
        core_cache._request_ends()
    # Outside a request (a command, a task) nothing is kept: every call asks the cache.
    core_cache.catalog_version()
    core_cache.catalog_version()
    assert reads.count(core_cache.VERSION_KEY) == 4
