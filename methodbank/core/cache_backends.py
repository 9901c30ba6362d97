"""A Redis cache that treats an unreachable Redis as an empty cache.

The bank uses the cache for speed only (pages, search statistics, rate-limit counters), never as
storage, so a Redis outage must not turn into error pages: reads miss, writes are dropped, and a
warning is logged. Rate limits fail open while Redis is down.
"""

import logging

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
_DOWN = (RedisConnectionError, RedisTimeoutError, OSError)


def _fallback(default):
    def decorate(method):
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except _DOWN as exc:
                logger.warning("Redis cache unavailable (%s): %s", method.__name__, exc)
                if isinstance(default, type) and issubclass(default, Exception):
                    raise default("cache unavailable") from exc
                return default() if callable(default) else default

        wrapper.__name__ = method.__name__
        return wrapper

    return decorate


class ReusingRedisCacheClient(RedisCacheClient):
    """Django builds a new ``redis.Redis`` object for every cache call. In redis-py 8 that costs about
    0.5 ms (it fills a table of ~170 response callbacks), as much as the rest of a page-cache hit.
    One object per connection pool is enough: it is thread-safe and borrows connections from the
    pool per command."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = super().get_client(key, write=write)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        # Fail fast: a hung Redis must not hold a request for long.
        options.setdefault("socket_connect_timeout", 0.25)
        options.setdefault("socket_timeout", 0.5)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    get = _fallback(None)(RedisCache.get)
    set = _fallback(None)(RedisCache.set)
    add = _fallback(False)(RedisCache.add)
    touch = _fallback(False)(RedisCache.touch)
    delete = _fallback(False)(RedisCache.delete)
    get_many = _fallback(dict)(RedisCache.get_many)
    set_many = _fallback(list)(RedisCache.set_many)
    delete_many = _fallback(None)(RedisCache.delete_many)
    has_key = _fallback(False)(RedisCache.has_key)
    clear = _fallback(None)(RedisCache.clear)
    # A failed incr looks like a missing key, which callers already handle.
    incr = _fallback(ValueError)(RedisCache.incr)
    decr = _fallback(ValueError)(RedisCache.decr)
