"""The middleware counts reads of an entry, and nothing about the reader."""

import time

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse

from methodbank.catalog.models import PracticeAttachment
from methodbank.catalog.signals import practice_used
from methodbank.catalog.tests.factories import PracticeFactory
from methodbank.usage import counters
from methodbank.usage.models import MonthlyUsage, UsageKind
from methodbank.usage.services import usage_flush

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


def counted(practice, kind=UsageKind.VIEW) -> int:
    return sum(MonthlyUsage.objects.filter(practice=practice, kind=kind).values_list("count", flat=True))


@pytest.mark.page_cache
def test_entry_page_views_are_counted_when_the_page_comes_from_the_cache(client, redis_store, published_practice):
    url = published_practice.get_absolute_url()
    for _ in range(3):
        assert client.get(url, HTTP_USER_AGENT=BROWSER).status_code == 200
    # The second and third answers came from the page cache, without running the view's body.
    assert usage_flush().hits == 3
    assert counted(published_practice) == 3


def test_robots_and_agentless_requests_are_not_counted(client, redis_store, published_practice):
    url = published_practice.get_absolute_url()
    for agent in ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
                  "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "curl/8.5.0",
                  "python-requests/2.32.3", ""):
        assert client.get(url, HTTP_USER_AGENT=agent).status_code == 200
    client.get(url, HTTP_USER_AGENT=BROWSER)
    usage_flush()
    assert counted(published_practice) == 1


def test_head_missing_pages_and_other_pages_are_not_counted(client, redis_store, published_practice):
    client.head(published_practice.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    client.get("/fi/menetelmat/ei-ole-olemassa/", HTTP_USER_AGENT=BROWSER)
    client.get("/fi/", HTTP_USER_AGENT=BROWSER)
    draft = PracticeFactory(status="draft", published_at=None)
    assert client.get(draft.get_absolute_url(), HTTP_USER_AGENT=BROWSER).status_code == 404
    assert usage_flush().hits == 0
    assert not MonthlyUsage.objects.exists()


def test_no_cookie_is_set_and_nothing_about_the_visitor_is_stored(client, redis_store, published_practice):
    address, agent = "203.0.113.77", BROWSER + " UniqueMarker/9.9"
    response = client.get(published_practice.get_absolute_url(), HTTP_USER_AGENT=agent, REMOTE_ADDR=address,
                          HTTP_X_FORWARDED_FOR=address)
    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response.headers
    # What waits in Redis names the entry, the month and the kind of use, nothing else.
    counters.send_now()
    stored = [(key, redis_store.client.hgetall(key)) for key in redis_store.client.scan_iter(f"{redis_store.prefix}*")]
    dump = repr(stored)
    assert "203.0.113" not in dump and "UniqueMarker" not in dump
    assert len(stored) == 1 and list(stored[0][1]) == [
        f"view|s:{published_practice.slug}|{counters.month_key()}".encode()
    ]
    usage_flush()
    rows = list(MonthlyUsage.objects.values())
    assert len(rows) == 1 and "203.0.113" not in repr(rows)
    assert {f.name for f in MonthlyUsage._meta.get_fields()} == {"id", "practice", "month", "kind", "count"}


def test_attachment_downloads_of_public_files_are_counted(client, redis_store, published_practice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    public, private = (
        PracticeAttachment.objects.create(
            practice=published_practice, file=ContentFile(b"%PDF-1.4 test", name="a.pdf"), original_name="a.pdf",
            content_type="application/pdf", size=13, public=is_public,
        )
        for is_public in (True, False)
    )
    for _ in range(2):
        assert client.get(reverse("contributions:attachment_download", args=[public.pk]),
                          HTTP_USER_AGENT=BROWSER).status_code == 200
    # A visitor gets 404 for a file that is not public: not counted either way.
    assert client.get(reverse("contributions:attachment_download", args=[private.pk]),
                      HTTP_USER_AGENT=BROWSER).status_code == 404
    usage_flush()
    assert counted(published_practice, UsageKind.DOWNLOAD) == 2


def test_api_reads_are_counted(client, redis_store, published_practice):
    for _ in range(2):
        assert client.get(f"/api/v1/entries/{published_practice.pk}", HTTP_USER_AGENT=BROWSER).status_code == 200
    client.get("/api/v1/entries/999999", HTTP_USER_AGENT=BROWSER)
    client.get("/api/v1/entries", HTTP_USER_AGENT=BROWSER)
    usage_flush()
    assert counted(published_practice, UsageKind.API_READ) == 2
    assert MonthlyUsage.objects.count() == 1


def test_adoptions_are_counted_when_the_transaction_commits(redis_store, published_practice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            practice_used.send(sender=type(published_practice), practice_id=published_practice.pk, kind="adoption")
            assert redis_store.batches() == [] and not redis_store.client.exists(redis_store.pending)
    usage_flush()
    assert counted(published_practice, UsageKind.ADOPTION) == 1


def test_an_adoption_rolled_back_is_not_counted(redis_store, published_practice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                practice_used.send(sender=type(published_practice), practice_id=published_practice.pk, kind="adoption")
                raise RuntimeError("the approval failed")
        except RuntimeError:
            pass
    usage_flush()
    assert counted(published_practice, UsageKind.ADOPTION) == 0


def test_an_unknown_kind_of_use_is_refused(published_practice):
    with pytest.raises(ValueError):
        practice_used.send(sender=type(published_practice), practice_id=published_practice.pk, kind="like")


def test_counting_never_fails_or_waits_for_a_page_when_redis_is_away(client, published_practice):
    import threading

    calls = []

    class RedisAway(counters.RedisStore):
        def incr_many(self, counts, *, flush_every=0):
            calls.append(threading.current_thread().name)
            raise ConnectionError("Redis is away")

    counters._store = RedisAway(client=None, prefix="down:")
    try:
        response = client.get(published_practice.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
        assert response.status_code == 200
        for _ in range(100):  # the background thread tries within milliseconds
            if calls:
                break
            time.sleep(0.01)
        # Redis was asked from the counter's own thread, not while the page was being answered.
        assert calls == ["usage-counter"]
    finally:
        counters.reset_store()


def test_without_redis_the_hits_wait_in_memory(client, memory_store, published_practice):
    client.get(published_practice.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    client.get(published_practice.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    assert usage_flush().hits == 2
    assert counted(published_practice) == 2


def test_the_first_hit_after_the_interval_queues_a_flush(redis_store, settings, monkeypatch):
    from methodbank.usage import tasks

    queued = []

    class FakeTask:
        @staticmethod
        def enqueue():
            queued.append(1)

    monkeypatch.setattr(tasks, "flush_usage", FakeTask)
    settings.USAGE_FLUSH_SECONDS = 300
    for _ in range(5):
        counters.record(UsageKind.VIEW, "s:some-entry")
        counters.send_now()
    assert queued == [1]
    assert redis_store.read(redis_store.pending) == {f"view|s:some-entry|{counters.month_key()}": 5}


def test_counting_can_be_turned_off(client, redis_store, published_practice, settings):
    settings.USAGE_COUNTING = False
    client.get(published_practice.get_absolute_url(), HTTP_USER_AGENT=BROWSER)
    assert usage_flush().hits == 0


def test_without_redis_the_process_flushes_its_own_hits_when_due(memory_store, published_practice, settings):
    settings.USAGE_FLUSH_SECONDS = 300
    counters.record(UsageKind.VIEW, f"s:{published_practice.slug}")  # the first hit: due, flushed at once
    counters.record(UsageKind.VIEW, f"s:{published_practice.slug}")  # waits for the next interval
    assert counted(published_practice) == 1
    assert usage_flush().hits == 1
    assert counted(published_practice) == 2


def test_views_in_every_language_count_for_the_same_entry(client, redis_store, published_practice):
    for language in ("fi", "sv", "en"):
        response = client.get(f"/{language}/menetelmat/{published_practice.slug}/", HTTP_USER_AGENT=BROWSER)
        assert response.status_code == 200
    usage_flush()
    assert counted(published_practice) == 3


def test_an_approved_adoption_counts_for_the_model(redis_store, coordinator, django_capture_on_commit_callbacks):
    from methodbank.catalog.models import AdoptionStatus
    from methodbank.catalog.tests.factories import AdoptionFactory, ModelPracticeFactory
    from methodbank.contributions.services.adoptions import adoption_approve, adoption_reject

    model = ModelPracticeFactory()
    approved = AdoptionFactory(model=model, status=AdoptionStatus.PENDING)
    rejected = AdoptionFactory(model=model, status=AdoptionStatus.PENDING)
    with django_capture_on_commit_callbacks(execute=True):
        adoption_approve(adoption=approved, by=coordinator)
        adoption_reject(adoption=rejected, by=coordinator, comment="Ei hankkeen malli.")
    usage_flush()
    assert counted(model, UsageKind.ADOPTION) == 1
