"""Where hits wait before they reach the database: one Redis hash, flushed in batches.

A hit is one ``HINCRBY`` on the hash ``<prefix>pending`` (field ``kind|ref|YYYY-MM``), sent by a
background thread in batches (``_Sender``) so that the request never waits for Redis. Nothing about
the person is stored: no cookie, no address, no user agent. The flush
(services.usage_flush) *renames* the hash to ``<prefix>batch:<uuid>`` first: RENAME is atomic, so
every hit lands either in the renamed batch or in a new pending hash, never in both and never in
neither. A batch is deleted from Redis only after its rows are committed, and the database
remembers the batch name in the same transaction, so a flush that dies half-way is finished by
the next one without counting anything twice.

Which Redis: ``USAGE_REDIS_URL`` when set, else the cache's (django-redis). Without Redis (tests and
development on the local-memory cache) the hits wait in this process's memory and the process flushes
them itself every USAGE_FLUSH_SECONDS: enough for one development server, not for several processes.
Counting never fails a page: a Redis error drops the hits and logs a warning.
"""

import atexit
import logging
import os
import threading
import time
import uuid
from collections import Counter
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
        return self.incr_many({name: amount}, flush_every=flush_every)

    def incr_many(self, counts: dict[str, int], *, flush_every: int = 0) -> bool:
        """Count; True when a flush is due (the first hits after ``flush_every`` seconds, cluster-wide)."""
        # One round trip for all: the hits and the "flush due" marker that expires.
        pipe = self.client.pipeline(transaction=False)
        for name, amount in counts.items():
            pipe.hincrby(self.pending, name, amount)
        if flush_every:
            pipe.set(f"{self.prefix}flush-due", 1, nx=True, ex=flush_every)
        results = pipe.execute()
        return bool(flush_every and results[-1])

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


def _warn(exc) -> None:
    # One warning a minute is enough to notice an outage without flooding the log.
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > 60:
        _last_warning = now
        logger.warning("usage counter unavailable, hits not counted: %s", exc)


class _Sender:
    """Sends this process's hits to Redis from a background thread: a request only adds to a dict
    and never waits for a Redis round trip (nor for Redis's time-out when it is away). A burst of
    hits goes in one pipelined round trip. Hits not yet sent when the process is killed are lost
    (at most DELAY's worth); a normal exit sends them (atexit)."""

    # Seconds to gather hits before sending them. Waking the thread for every hit cost a busy 2-core
    # machine 0.6 ms per counted page (GIL hand-overs and Redis's CPU); once per 0.1 s costs nothing
    # measurable (bench/usage_bench.py).
    DELAY = 0.1

    def __init__(self):
        self.lock = threading.Lock()  # guards hits; held only for a dict update
        self.send_lock = threading.Lock()  # one send at a time, so send_now() waits for one in flight
        self.hits: Counter = Counter()
        self.wake = threading.Event()
        self.thread = None
        self.pid = None

    def add(self, name: str) -> None:
        with self.lock:
            self.hits[name] += 1
            if self.thread is None or self.pid != os.getpid() or not self.thread.is_alive():
                self.pid = os.getpid()
                self.thread = threading.Thread(target=self._run, name="usage-counter", daemon=True)
                self.thread.start()
        self.wake.set()

    def _run(self) -> None:
        while True:
            self.wake.wait()
            time.sleep(self.DELAY)
            self.wake.clear()
            self.send()

    def send(self) -> None:
        with self.send_lock:
            with self.lock:
                hits, self.hits = self.hits, Counter()
            if not hits:
                return
            try:
                if store().incr_many(hits, flush_every=settings.USAGE_FLUSH_SECONDS):
                    from django.db import connections

                    from .tasks import flush_usage

                    try:
                        flush_usage.enqueue()
                    finally:
                        if threading.current_thread() is self.thread:
                            connections.close_all()  # this thread's own connection, if enqueue opened one
            except Exception as exc:  # noqa: BLE001 - a failed send loses these hits, nothing else
                _warn(exc)


_sender = _Sender()


def send_now() -> None:
    """Send this process's waiting hits to Redis, and wait for a send in flight (flush and tests)."""
    _sender.send()


atexit.register(send_now)


def record(kind: str, ref: str, *, when: datetime | None = None) -> None:
    """Count one hit; never raises and never waits for Redis (a page must not fail or slow down).

    Every USAGE_FLUSH_SECONDS the first hit sent also queues the flush task (django-tasks has no
    scheduler; ``manage.py flush_usage`` from cron does the same). 0 leaves flushing to cron."""
    if not ref or len(ref) > MAX_REF_LENGTH or SEPARATOR in ref:
        return
    try:
        name = field(kind, ref, month_key(when))
        current = store()
        if isinstance(current, RedisStore):
            _sender.add(name)
        elif current.incr(name, flush_every=settings.USAGE_FLUSH_SECONDS):
            # Hits in this process's memory can only be flushed by this process (a development server).
            from .services import usage_flush

            usage_flush()
    except Exception as exc:  # noqa: BLE001 - any failure loses this hit, nothing else
        _warn(exc)
