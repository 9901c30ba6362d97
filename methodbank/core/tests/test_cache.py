import pytest
from django.urls import reverse

from methodbank.catalog.models import PublicationStatus
from methodbank.catalog.tests.factories import PlacementFactory, PracticeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.page_cache]


@pytest.fixture
def locmem_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"}}


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

    redis_cache = RedisCache(
        "redis://127.0.0.1:6379/7", {"KEY_PREFIX": "mb-test-reuse", "OPTIONS": settings.REDIS_CACHE_OPTIONS}
    )
    try:
        assert redis_cache.client.get_client() is redis_cache.client.get_client()
        redis_cache.set("page", {"html": "<h1>Ohjaamo</h1>"}, 30)
        assert redis_cache.get("page") == {"html": "<h1>Ohjaamo</h1>"}
        assert redis_cache.add("page", "other", 30) is False
        redis_cache.delete("page")
        assert redis_cache.get("page") is None
    finally:
        redis_cache.clear()


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

