"""The anonymous participants' rate limit counts in the cache; with Redis down it fails open."""

import pytest

from .factories import join
from .test_views import event  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_anonymous_evaluation_rate_limit_fails_open_when_redis_is_down(client, settings, event):  # noqa: F811
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens here: every cache call fails
            "OPTIONS": settings.REDIS_CACHE_OPTIONS,
        }
    }
    settings.EVALUATION_ANON_RATE = "1/hour"
    # The counter cannot be read or raised: the participant is let in, again and again, and is
    # neither refused nor shown an error page.
    join(client, event, "Kettu")
    assert client.get(event.get_anonymous_url()).status_code == 200
    assert client.get(event.get_anonymous_url()).status_code == 200
