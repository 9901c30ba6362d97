import uuid
from types import SimpleNamespace

import pytest
from django.urls import reverse

from methodbank.catalog.models import PublicationStatus
from methodbank.catalog.tests.factories import PlacementFactory, PracticeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.page_cache]


@pytest.fixture
def locmem_cache(settings):
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}}
    # Locmem caches of one LOCATION share their store: start and end empty.
    cache.clear()
    yield
    cache.clear()


def test_public_page_is_served_from_cache_and_retired_on_publish(client, locmem_cache, django_assert_max_num_queries):
    practice = PracticeFactory(title="Jalkautuva koulutusneuvonta")
    PlacementFactory(practice=practice)
    url = reverse("catalog:practice", kwargs={"slug": practice.slug})
    assert "Jalkautuva koulutusneuvonta" in client.get(url).content.decode()

    # A second anonymous visit renders nothing: no catalog queries at all.
    with django_assert_max_num_queries(1):
        assert client.get(url).status_code == 200

    # Editing and publishing retires the cached page at once.
    practice.title = "Jalkautuva koulutusneuvonta kauppakeskuksessa"
    practice.save()
    assert "kauppakeskuksessa" in client.get(url).content.decode()

    practice.status = PublicationStatus.ARCHIVED
    practice.save()
    assert client.get(url).status_code == 404


def test_logged_in_users_always_get_a_fresh_page(client, contributor, locmem_cache):
    practice = PracticeFactory(title="Oppikorjaamo")
    PlacementFactory(practice=practice)
    url = reverse("catalog:practice", kwargs={"slug": practice.slug})
    client.get(url)
    client.force_login(contributor)
    type(practice).objects.filter(pk=practice.pk).update(title="Oppikorjaamo uudistettu")  # no signal
    assert "Oppikorjaamo uudistettu" in client.get(url).content.decode()


def test_site_works_when_redis_is_down(client, settings):
    # Nothing listens on this port: every cache call fails, the pages must not.
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    practice = PracticeFactory(title="Konnat kouluun")
    PlacementFactory(practice=practice)
    assert client.get(reverse("core:home")).status_code == 200
    response = client.get(reverse("catalog:practice", kwargs={"slug": practice.slug}))
    assert response.status_code == 200
    assert "Konnat kouluun" in response.content.decode()


def test_only_pages_shared_by_anonymous_visitors_are_offered_to_nginx(client, contributor, locmem_cache, settings):
    settings.EDGE_CACHE_SECONDS = 5
    practice = PracticeFactory(title="Ohjaamo-kävely")
    PlacementFactory(practice=practice)
    url = reverse("catalog:practice", kwargs={"slug": practice.slug})

    # Rendered and then served from the cache: both may be stored by nginx.
    assert client.get(url)["X-Accel-Expires"] == "5"
    assert client.get(url)["X-Accel-Expires"] == "5"
    assert client.get(reverse("search:search"), {"q": "ohjaamo"})["X-Accel-Expires"] == "5"

    # A page with a CSRF token belongs to one visitor; so does every page of a logged-in user.
    assert "X-Accel-Expires" not in client.get(reverse("account_login"))
    client.force_login(contributor)
    assert "X-Accel-Expires" not in client.get(url)
    assert "X-Accel-Expires" not in client.get(reverse("core:home"))


def test_nothing_is_offered_to_nginx_by_default(client, locmem_cache):
    practice = PracticeFactory()
    PlacementFactory(practice=practice)
    assert "X-Accel-Expires" not in client.get(reverse("catalog:practice", kwargs={"slug": practice.slug}))


def test_redis_cache_reuses_one_client_and_works_against_a_real_redis():
    from django.conf import settings
    from django_redis.cache import RedisCache

    # A key prefix of this run's own, and only its keys deleted (clear() would flush the whole
    # database under the other pass of ./test.sh, which runs this test at the same time).
    redis_cache = RedisCache(
        "redis://127.0.0.1:6379/7",
        {"KEY_PREFIX": f"mb-test-reuse-{uuid.uuid4().hex}", "OPTIONS": settings.REDIS_CACHE_OPTIONS},
    )
    try:
        assert redis_cache.client.get_client() is redis_cache.client.get_client()
        redis_cache.set("page", {"html": "<h1>Ohjaamo</h1>"}, 30)
        assert redis_cache.get("page") == {"html": "<h1>Ohjaamo</h1>"}
        assert redis_cache.add("page", "other", 30) is False
        redis_cache.delete("page")
        assert redis_cache.get("page") is None
    finally:
        redis_cache.delete_pattern("*")


def test_a_redis_cache_url_gives_django_redis_that_ignores_an_unreachable_redis():
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import django; django.setup(); from django.conf import settings; c = settings.CACHES['default']; "
        "print(c['BACKEND'], c['OPTIONS']['IGNORE_EXCEPTIONS'], c['OPTIONS']['SOCKET_TIMEOUT'])"
    )
    env = {**os.environ, "CACHE_URL": "redis://127.0.0.1:1/0", "DJANGO_SETTINGS_MODULE": "config.settings"}
    root = Path(__file__).resolve().parents[3]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["django_redis.cache.RedisCache", "True", "0.5"], out.stderr



# --- Shared figures recomputed in the background after a change --------------------------------


@pytest.fixture
def warming(settings, locmem_cache):
    settings.WARM_SHARED_FIGURES = True
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def _publish_one(title="Kesäkoulu"):
    practice = PracticeFactory(title=title, status=PublicationStatus.PUBLISHED)
    PlacementFactory(practice=practice)
    return practice


def test_after_a_change_the_first_visitor_finds_the_shared_figures_computed(
    client, warming, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    from methodbank.core.cache import catalog_version

    _publish_one()
    client.get(reverse("core:home"))  # figures of the current version cached
    with django_capture_on_commit_callbacks(execute=True):
        _publish_one("Vertaismentorointi")  # retires them; the warm-up runs after the commit
    version = catalog_version()
    from django.core.cache import cache

    assert cache.get(f"data:{version}:front-page")["totals"]["entries"] == 2
    assert all(cache.get(f"data:{version}:search-browse-facets:{code}") is not None for code in ("fi", "sv", "en"))
    # The counts are not read again: the front page now asks the database for nothing.
    with django_assert_max_num_queries(0):
        page = client.get(reverse("core:home"))
    assert page.status_code == 200


def test_what_another_reader_cached_before_the_change_committed_is_retired_at_commit(
    client, locmem_cache, django_capture_on_commit_callbacks
):
    """A page rendered from the catalog as it was, by a visitor whose request ran while the
    publishing transaction had bumped the version but not yet committed, must not outlive it."""
    from methodbank.core.cache import cached_until_catalog_changes

    with django_capture_on_commit_callbacks(execute=True):
        _publish_one("Uusi menetelmä")
        # Another connection would still read the old catalog here: it caches the old figure.
        stale = cached_until_catalog_changes("figure", lambda: "before the commit")
    assert stale == "before the commit"
    assert cached_until_catalog_changes("figure", lambda: "after the commit") == "after the commit"


def test_a_burst_of_changes_schedules_one_warm_up(warming, monkeypatch, django_capture_on_commit_callbacks):
    from methodbank.core import tasks

    enqueued = []
    monkeypatch.setattr(tasks, "warm_shared_figures_task", SimpleNamespace(enqueue=lambda: enqueued.append(1)))
    with django_capture_on_commit_callbacks(execute=True):
        for number in range(5):
            _publish_one(f"Menetelmä {number}")
    assert enqueued == [1]


def test_a_failing_warm_up_fails_neither_the_change_nor_the_other_figures(
    warming, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from methodbank.core import cache as core_cache

    monkeypatch.setitem(core_cache._warmers, "broken", lambda: 1 / 0)
    with django_capture_on_commit_callbacks(execute=True):
        practice = _publish_one()
    assert practice.pk is not None
    assert cache.get(f"data:{core_cache.catalog_version()}:front-page") is not None

    # A queue that cannot be written: the committed change stands, the page computes its figures.
    def refuse():
        raise RuntimeError("queue down")

    monkeypatch.setattr(core_cache, "_enqueue_warm", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        _publish_one("Toinen")
    assert cache.get(f"data:{core_cache.catalog_version()}:front-page") is None


def test_no_warm_up_with_a_cache_the_worker_does_not_share(settings, locmem_cache, monkeypatch,
                                                           django_capture_on_commit_callbacks):
    from methodbank.core import tasks

    assert settings.WARM_SHARED_FIGURES is False  # the default without Redis
    enqueued = []
    monkeypatch.setattr(tasks, "warm_shared_figures_task", SimpleNamespace(enqueue=lambda: enqueued.append(1)))
    with django_capture_on_commit_callbacks(execute=True):
        _publish_one()
    assert enqueued == []


def test_no_warm_up_is_queued_while_migrate_runs(warming, monkeypatch, django_capture_on_commit_callbacks):
    """A data migration that changes the catalog runs before the task queue's table exists on a
    fresh database: queueing there logged an error on every fresh `migrate` with Redis."""
    from django.apps import apps
    from django.db.models.signals import post_migrate, pre_migrate

    from methodbank.core import tasks

    enqueued = []
    monkeypatch.setattr(tasks, "warm_shared_figures_task", SimpleNamespace(enqueue=lambda: enqueued.append(1)))
    core = apps.get_app_config("core")
    pre_migrate.send(sender=core, app_config=core, verbosity=0, interactive=False, using="default")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _publish_one("Kesken migraation")
        assert enqueued == []
    finally:
        post_migrate.send(sender=core, app_config=core, verbosity=0, interactive=False, using="default")
    with django_capture_on_commit_callbacks(execute=True):
        _publish_one("Migraation jälkeen")
    assert enqueued == [1]


def test_a_queue_that_refuses_does_not_block_the_next_warm_ups(
    warming, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    from methodbank.core import tasks

    calls = []

    def enqueue():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("no such table: django_tasks_database_dbtaskresult")

    monkeypatch.setattr(tasks, "warm_shared_figures_task", SimpleNamespace(enqueue=enqueue))
    with django_capture_on_commit_callbacks(execute=True):
        practice = _publish_one("Ensimmäinen")
    assert practice.pk is not None
    assert "could not queue the warm-up" in caplog.text
    # The pending mark went with the failed attempt: the next change queues its warm-up.
    with django_capture_on_commit_callbacks(execute=True):
        _publish_one("Toinen")
    assert calls == [1, 1]


# --- manage.py warm_shared_figures: a deploy starts with the figures computed ---------------------


def test_warm_command_computes_every_shared_figure_once_and_recomputes_on_request(locmem_cache, client,
                                                                                   django_assert_max_num_queries):
    from django.core.cache import cache
    from django.core.management import call_command

    from methodbank.core.cache import catalog_version
    from methodbank.core.models import SharedFigure

    _publish_one()
    call_command("warm_shared_figures", verbosity=0)
    version = catalog_version()
    assert cache.get(f"data:{version}:front-page")["totals"]["entries"] == 1
    assert all(cache.get(f"data:{version}:search-browse-facets:{code}") is not None for code in ("fi", "sv", "en"))
    assert {"front-page", "search-browse-facets:fi", "keyword-entry-counts"} <= set(
        SharedFigure.objects.values_list("name", flat=True)
    )
    # The first visitor after the deploy reads no counts.
    with django_assert_max_num_queries(0):
        assert client.get(reverse("core:home")).status_code == 200

    # Idempotent: run again (a second deploy step, a cache that lost everything since), it reads
    # what is kept and computes nothing: one read per figure, no count.
    cache.clear()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        call_command("warm_shared_figures", verbosity=0)
    assert not any("COUNT(" in q["sql"].upper() for q in queries), [q["sql"] for q in queries]

    # --recompute: what is kept is computed again (a deploy whose code counts differently).
    cache.set(f"data:{catalog_version()}:front-page", {"totals": {"entries": 99}}, None)
    call_command("warm_shared_figures", "--recompute", verbosity=0)
    assert cache.get(f"data:{catalog_version()}:front-page")["totals"]["entries"] == 1


def test_warm_command_fails_loudly_when_a_figure_cannot_be_computed(locmem_cache, monkeypatch):
    from django.core.management import CommandError, call_command

    from methodbank.core import cache as core_cache

    monkeypatch.setitem(core_cache._warmers, "broken", lambda: 1 / 0)
    with pytest.raises(CommandError, match="broken"):
        call_command("warm_shared_figures", verbosity=0)


def test_values_kept_per_object_are_read_together_and_retired_by_a_change(
    locmem_cache, django_capture_on_commit_callbacks
):
    """many_cached_until_catalog_changes (the API's whole entries): one read for many names, only the
    missing ones computed, a name the computation leaves out not kept, and every value retired by the
    next change, also one cached while the change's transaction had not committed."""
    from methodbank.core.cache import many_cached_until_catalog_changes

    computed = []

    def compute(names):
        computed.append(list(names))
        return {name: f"{name} v{len(computed)}" for name in names if name != "gone"}

    assert many_cached_until_catalog_changes(["a", "b", "gone"], compute, timeout=60) == {"a": "a v1", "b": "b v1"}
    assert many_cached_until_catalog_changes(["b", "c", "a"], compute, timeout=60) == {
        "a": "a v1", "b": "b v1", "c": "c v2"}
    assert computed == [["a", "b", "gone"], ["c"]]
    with django_capture_on_commit_callbacks(execute=True):
        _publish_one("Uusi menetelmä")
        # Another connection would still read the old catalog here.
        assert many_cached_until_catalog_changes(["a"], compute, timeout=60) == {"a": "a v3"}
    assert many_cached_until_catalog_changes(["a", "b"], compute, timeout=60) == {"a": "a v4", "b": "b v4"}
