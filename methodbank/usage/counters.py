"""Where hits wait before they reach the database: one Redis hash, flushed in batches.

A hit is one ``HINCRBY`` on the hash ``<prefix>pending`` (field ``kind|ref|YYYY-MM``): one round trip,
nothing about the person (no cookie, no address, no user agent is stored). The flush
(services.usage_flush) *renames* the hash to ``<prefix>batch:<uuid>`` first: RENAME is atomic, so
every hit lands either in the renamed batch or in a new pending hash, never in both and never in
neither. A batch is deleted from Redis only after its rows are committed, and the database
remembers the batch name in the same transaction, so a flush that dies half-way is finished by
the next one without counting anything twice.

Which Redis: ``USAGE_REDIS_URL`` when set, else the cache's (django-redis). Without Redis (tests and
development on the local-memory cache) the hits wait in this process's memory: counts made by one
process are flushed only by that process, which is enough for one development server.
Counting never fails a page: a Redis error drops the hit and logs a warning.
"""

import logging
import threading
import time
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings

logger = logging.getLogger(__name__)

SEPARATOR = "|"
# Bounds what a hostile URL can make us store: refs are ids and slugs, which are shorter.
MAX_REF_LENGTH = 400


def month_key(when: datetime | None = None) -> str:
    """The month a hit belongs to, in the bank's time zone (the months the teams see)."""
    when = when or datetime.now(_zone())
    return when.astimezone(_zone()).strftime("%Y-%m")


_zone_cache: dict = {}


def _zone():
    name = settings.TIME_ZONE
    if name not in _zone_cache:
        _zone_cache[name] = ZoneInfo(name)
    return _zone_cache[name]


def field(kind: str, ref: str, month: str) -> str:
    return f"{kind}{SEPARATOR}{ref}{SEPARATOR}{month}"


def parse_field(raw) -> tuple[str, str, str] | None:
    text = raw.decode() if isinstance(raw, bytes) else str(raw)
    parts = text.split(SEPARATOR)
    return tuple(parts) if len(parts) == 3 else None


class RedisStore:
    def __init__(self, client, prefix: str):
        self.client = client
        self.prefix = prefix
        self.pending = f"{prefix}pending"

    def incr(self, name: str, amount: int = 1, *, flush_every: int = 0) -> bool:
        """Count; True when a flush is due (the first hit after ``flush_every`` seconds, cluster-wide)."""
        if not flush_every:
            self.client.hincrby(self.pending, name, amount)
            return False
        # One round trip for both: the hit and the "flush due" marker that expires.
        pipe = self.client.pipeline(transaction=False)
        pipe.hincrby(self.pending, name, amount)
        pipe.set(f"{self.prefix}flush-due", 1, nx=True, ex=flush_every)
        return bool(pipe.execute()[1])

    def seal(self) -> str | None:
        """Rename the pending hash to a new batch; None when nothing is pending."""
        import redis

        batch = f"{self.prefix}batch:{uuid.uuid4().hex}"
        try:
            self.client.rename(self.pending, batch)
        except redis.ResponseError:  # "no such key": no hit since the last flush
            return None
        return batch

    def batches(self) -> list[str]:
        """Every sealed batch, the ones an interrupted flush left behind included."""
        keys = self.client.scan_iter(match=f"{self.prefix}batch:*", count=500)
        return sorted(k.decode() if isinstance(k, bytes) else k for k in keys)

    def read(self, batch: str) -> dict[str, int]:
        return {
            (k.decode() if isinstance(k, bytes) else k): int(v) for k, v in self.client.hgetall(batch).items()
        }

    def delete(self, batch: str) -> None:
        self.client.delete(batch)


class MemoryStore:
    """The same operations on a dict, for a bank without Redis (one process)."""

    def __init__(self, prefix: str):
        self.prefix = prefix
        self.lock = threading.Lock()
        self.hashes: dict[str, dict[str, int]] = {}
        self.next_flush = 0.0

    def incr(self, name: str, amount: int = 1, *, flush_every: int = 0) -> bool:
        with self.lock:
            pending = self.hashes.setdefault(f"{self.prefix}pending", {})
            pending[name] = pending.get(name, 0) + amount
            if flush_every and time.monotonic() >= self.next_flush:
                self.next_flush = time.monotonic() + flush_every
                return True
            return False

    def seal(self) -> str | None:
        with self.lock:
            pending = self.hashes.pop(f"{self.prefix}pending", None)
            if not pending:
                return None
            batch = f"{self.prefix}batch:{uuid.uuid4().hex}"
            self.hashes[batch] = pending
            return batch

    def batches(self) -> list[str]:
        with self.lock:
            return sorted(k for k in self.hashes if k.startswith(f"{self.prefix}batch:"))

    def read(self, batch: str) -> dict[str, int]:
        with self.lock:
            return dict(self.hashes.get(batch, {}))

    def delete(self, batch: str) -> None:
        with self.lock:
            self.hashes.pop(batch, None)


_store = None
_store_lock = threading.Lock()


def _make_store():
    prefix = f"{settings.CACHES['default'].get('KEY_PREFIX', '')}usage:"
    url = getattr(settings, "USAGE_REDIS_URL", "")
    options = getattr(settings, "REDIS_CACHE_OPTIONS", {})
    timeouts = {
        "socket_connect_timeout": options.get("SOCKET_CONNECT_TIMEOUT", 0.25),
        "socket_timeout": options.get("SOCKET_TIMEOUT", 0.5),
    }
    if url:
        import redis

        return RedisStore(redis.Redis.from_url(url, **timeouts), prefix)
    if settings.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
        from django_redis import get_redis_connection

        return RedisStore(get_redis_connection("default"), prefix)
    return MemoryStore(prefix)


def store():
    global _store
    if _store is None:
        with _store_lock:
            if _store is None:
                _store = _make_store()
    return _store


def reset_store() -> None:
    """Forget the store, so the next hit reads the settings again (tests that change them)."""
    global _store
    _store = None


_last_warning = 0.0


def record(kind: str, ref: str, *, when: datetime | None = None) -> None:
    """Count one hit; never raises (a page must not fail because Redis is away).

    Every USAGE_FLUSH_SECONDS the first hit also queues the flush task (django-tasks has no
    scheduler; ``manage.py flush_usage`` from cron does the same). 0 leaves flushing to cron."""
    global _last_warning
    if not ref or len(ref) > MAX_REF_LENGTH or SEPARATOR in ref:
        return
    try:
        due = store().incr(field(kind, ref, month_key(when)), flush_every=settings.USAGE_FLUSH_SECONDS)
        if due:
            from .tasks import flush_usage

            flush_usage.enqueue()
    except Exception as exc:  # noqa: BLE001 - any store failure loses this hit, nothing else
        # One warning a minute is enough to notice an outage without flooding the log.
        now = time.monotonic()
        if now - _last_warning > 60:
            _last_warning = now
            logger.warning("usage counter unavailable, hit not counted: %s", exc)
