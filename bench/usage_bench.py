"""What usage counting adds to a cached entry page, measured inside one process.

Usage: .venv/bin/python bench/usage_bench.py [--requests 300] [--rounds 15]

A temporary SQLite database with one published entry, the cache and the counters in Redis
(127.0.0.1:6379, database 12, flushed first), DEBUG off. The entry page is rendered once, then every
request is answered from the page cache (core/cache.py), as an anonymous visitor's would be. Counting
off, on, and on for a robot's user agent (USAGE_COUNTING) take turns request by request, through the
whole middleware stack (Django's test client), ``--requests`` x ``--rounds`` requests each. Prints the
median time per request of each, and the difference and the ratio against "off" in the same run;
then the counter's own parts (the user-agent check, counters.record).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
ROBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=15)
    args = ap.parse_args()

    workdir = tempfile.mkdtemp(prefix="mb-usage-bench-")
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        ENV_FILE="",
        DATABASE_URL=f"sqlite:///{workdir}/bench.sqlite3",
        CACHE_URL="redis://127.0.0.1:6379/12",
        DEBUG="false",
        SECRET_KEY="bench-only-key-" + "x" * 40,
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="false",
        USAGE_FLUSH_SECONDS="0",
        STATIC_MANIFEST="false",  # no collectstatic needed: the page is the same bytes either way
        VAR_DIR=workdir,
        LOG_LEVEL="ERROR",
    )
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from methodbank.catalog.tests.factories import PracticeFactory
    from methodbank.usage import counters
    from methodbank.usage.bots import is_bot
    from methodbank.usage.models import UsageKind
    from methodbank.usage.services import usage_flush

    call_command("migrate", verbosity=0)
    cache.clear()
    practice = PracticeFactory()
    url = practice.get_absolute_url()
    client = Client()
    assert client.get(url, HTTP_USER_AGENT=BROWSER).status_code == 200  # fills the page cache
    usage_flush()

    def one(agent) -> float:
        start = time.perf_counter()
        response = client.get(url, HTTP_USER_AGENT=agent)
        elapsed = time.perf_counter() - start
        assert response.status_code == 200 and "X-Accel-Expires" not in response  # EDGE_CACHE_SECONDS=0
        return elapsed * 1e6

    # The modes take turns request by request (each in every place of the order), so the machine's
    # load, which swings by more than a millisecond on a shared 2-core box, hits them alike; the
    # median of single requests leaves out the ones another process interrupted.
    samples = {"off": [], "on": [], "on, robot": []}
    names = list(samples)
    for i in range(args.requests * args.rounds):
        for mode in names[i % 3:] + names[:i % 3]:
            settings.USAGE_COUNTING = mode != "off"
            samples[mode].append(one(ROBOT if mode == "on, robot" else BROWSER))
    settings.USAGE_COUNTING = True
    counted = usage_flush().hits
    expected = args.rounds * args.requests

    off = statistics.median(samples["off"])
    print(f"\nCached entry page through the whole middleware stack, {args.requests * args.rounds} requests per "
          f"mode taking turns, µs per request; load average {os.getloadavg()[0]:.1f}")
    print(f"{'counting':<12} {'median':>8} {'vs off':>8} {'ratio':>7} {'p25':>8} {'p75':>8}")
    for mode, values in samples.items():
        median = statistics.median(values)
        q = statistics.quantiles(values, n=4)
        print(f"{mode:<12} {median:>8.1f} {median - off:>+8.1f} {median / off:>7.3f} {q[0]:>8.1f} {q[2]:>8.1f}")
    print(f"counted after the flush: {counted} (expected {expected}: every browser request, no robot)")

    client_redis = counters.store().client
    ua_times, incr_times = [], []
    for _ in range(2000):
        t = time.perf_counter()
        is_bot(BROWSER)
        ua_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        counters.record(UsageKind.VIEW, "s:bench")
        incr_times.append(time.perf_counter() - t)
    is_bot.cache_clear()
    t = time.perf_counter()
    is_bot(BROWSER)
    first = time.perf_counter() - t
    print(f"parts: user-agent check {statistics.median(ua_times) * 1e6:.1f} µs (remembered; "
          f"{first * 1e6:.0f} µs the first time a user agent is seen), "
          f"counters.record (handed to the sender thread) {statistics.median(incr_times) * 1e6:.1f} µs")
    client_redis.flushdb()
    return 0 if counted == expected else 1


if __name__ == "__main__":
    sys.exit(main())
