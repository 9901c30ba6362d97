"""Flushing: every counted hit reaches the database exactly once."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.test import Client

from methodbank.catalog.tests.factories import PracticeFactory
from methodbank.usage import counters
from methodbank.usage.models import FlushedBatch, MonthlyUsage, UsageKind
from methodbank.usage.services import usage_flush

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"


def total(practice, kind=UsageKind.VIEW) -> int:
    return sum(MonthlyUsage.objects.filter(practice=practice, kind=kind).values_list("count", flat=True))


@pytest.mark.page_cache
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # see conftest.py: the content types
def test_parallel_requests_give_exactly_as_many_counts_with_flushes_running_meanwhile(redis_store):
    practice = PracticeFactory()
    url = practice.get_absolute_url()
    requests, threads = 120, 8
    done = threading.Event()
    flushed = []

    def read(_):
        try:
            return Client().get(url, HTTP_USER_AGENT=BROWSER).status_code
        finally:
            connections.close_all()

    def keep_flushing():
        # Flushes that seal the pending hash while hits keep arriving: a hit must land in exactly one batch.
        try:
            while not done.is_set():
                flushed.append(usage_flush().hits)
        finally:
            connections.close_all()

    flusher = threading.Thread(target=keep_flushing)
    flusher.start()
    try:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            statuses = list(pool.map(read, range(requests)))
    finally:
        done.set()
        flusher.join()
    flushed.append(usage_flush().hits)
    assert statuses == [200] * requests
    assert total(practice) == requests
    assert sum(flushed) == requests
    assert len([n for n in flushed if n]) >= 1
    assert redis_store.batches() == []


def test_parallel_hits_in_redis_are_all_counted(db, redis_store):
    practice = PracticeFactory()
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda _: counters.record(UsageKind.API_READ, f"p:{practice.pk}"), range(1000)))
    assert usage_flush().hits == 1000
    assert total(practice, UsageKind.API_READ) == 1000
    # A second flush finds nothing new.
    assert usage_flush().hits == 0
    assert total(practice, UsageKind.API_READ) == 1000


def test_a_flush_that_stopped_after_its_commit_is_not_counted_again(db, redis_store, monkeypatch):
    practice = PracticeFactory()
    for _ in range(5):
        counters.record(UsageKind.VIEW, f"s:{practice.slug}")

    def lost_connection(batch):
        raise ConnectionError("Redis went away before the batch was deleted")

    monkeypatch.setattr(redis_store, "delete", lost_connection)
    with pytest.raises(ConnectionError):
        usage_flush()
    assert total(practice) == 5
    assert len(redis_store.batches()) == 1  # the batch is still in Redis
    monkeypatch.undo()
    counters.record(UsageKind.VIEW, f"s:{practice.slug}")
    assert usage_flush().hits == 1  # the old batch is only deleted, the new hit added
    assert total(practice) == 6
    assert redis_store.batches() == []


def test_a_flush_that_failed_before_its_commit_is_finished_by_the_next(db, redis_store, monkeypatch):
    from methodbank.usage import services

    practice = PracticeFactory()
    for _ in range(3):
        counters.record(UsageKind.VIEW, f"s:{practice.slug}")

    def database_down(totals):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_add", database_down)
    with pytest.raises(RuntimeError):
        usage_flush()
    assert total(practice) == 0 and not FlushedBatch.objects.exists()
    monkeypatch.undo()
    assert usage_flush().hits == 3
    assert total(practice) == 3


def test_months_kinds_and_entries_are_kept_apart_and_added_to(db, redis_store):
    import datetime
    from zoneinfo import ZoneInfo

    first, second = PracticeFactory(), PracticeFactory()
    helsinki = ZoneInfo("Europe/Helsinki")
    november = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=helsinki)
    # 23:30 UTC on 30 November is already December in Helsinki: the bank's months are Helsinki's.
    december = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)
    counters.record(UsageKind.VIEW, f"s:{first.slug}", when=november)
    counters.record(UsageKind.VIEW, f"s:{first.slug}", when=december)
    counters.record(UsageKind.VIEW, f"s:{first.slug}", when=december)
    counters.record(UsageKind.API_READ, f"p:{second.pk}", when=december)
    usage_flush()
    counters.record(UsageKind.VIEW, f"s:{first.slug}", when=december)
    usage_flush()
    rows = {(r.practice_id, r.month.isoformat(), r.kind): r.count for r in MonthlyUsage.objects.all()}
    assert rows == {
        (first.pk, "2026-11-01", "view"): 1,
        (first.pk, "2026-12-01", "view"): 3,
        (second.pk, "2026-12-01", "api_read"): 1,
    }


def test_hits_of_entries_that_are_gone_and_malformed_fields_are_dropped(db, redis_store):
    practice = PracticeFactory()
    month = counters.month_key()
    redis_store.client.hset(redis_store.pending, mapping={
        f"view|s:{practice.slug}|{month}": 2,
        f"view|s:no-such-entry|{month}": 4,
        f"api_read|p:99999999|{month}": 1,
        f"like|p:{practice.pk}|{month}": 1,
        f"view|s:{practice.slug}|not-a-month": 1,
        "garbage": 1,
        f"download|a:{practice.pk}'; DROP TABLE x|{month}": 1,
    })
    result = usage_flush()
    assert (result.hits, result.dropped) == (2, 9)
    assert total(practice) == 2 and MonthlyUsage.objects.count() == 1


def test_hostile_refs_are_not_stored(redis_store):
    counters.record(UsageKind.VIEW, "s:" + "x" * 1000)
    counters.record(UsageKind.VIEW, "s:a|b")
    counters.record(UsageKind.VIEW, "")
    counters.send_now()
    assert redis_store.read(redis_store.pending) == {}
