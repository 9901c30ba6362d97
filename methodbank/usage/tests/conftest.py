import uuid

import pytest
import redis

from methodbank.usage import counters

# A database number of its own on the test Redis (./test.sh starts it on 127.0.0.1:6379), and a key
# prefix per test, so parallel runs and the cache's keys never meet these.
REDIS_URL = "redis://127.0.0.1:6379/13"


@pytest.fixture
def redis_store():
    """The counters in real Redis for this test."""
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=2)
    store = counters.RedisStore(client, f"test-usage-{uuid.uuid4().hex}:")
    counters._store = store
    yield store
    counters.send_now()
    counters.reset_store()
    for key in client.scan_iter(match=f"{store.prefix}*"):
        client.delete(key)


@pytest.fixture
def memory_store():
    store = counters.MemoryStore("test-usage:")
    counters._store = store
    yield store
    counters.reset_store()


@pytest.fixture
def published_practice(db):
    from methodbank.catalog.tests.factories import PlacementFactory, PracticeFactory

    practice = PracticeFactory()
    PlacementFactory(practice=practice)
    return practice
