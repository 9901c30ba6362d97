"""The search page's CPU time per part, in one process against a built search bench database
(bench/search_bench.py), for main against a branch in turns. Not part of the test suite.

    DATABASE_URL=sqlite:////tmp/mb-searchbench14/bench-100000.sqlite3 \\
      .venv/bin/python bench/search_page_parts.py . parts    # the checkout to measure (or a worktree's root)
    ... <root> time        # wall and CPU p50/p95 of GET /fi/haku/?q=... (3 rounds of the QUERIES)
    ... <root> html OUT    # every page (page 1, page 2, kind=model, HTMX) into OUT, to compare two roots
    ... <root> prof        # cProfile of one round (SORT=tottime N=40; CALLERS=regex for the callers)
    ... <root> new         # CPU p50/p95 and SQL queries of pages whose words are new to the process
                           # (two words of QUERIES, NEW=60 of them; SEED=1), beside the repeated QUERIES

``parts``: process time of search_entries (ranking + facets), search_hits (loading the 20 shown
entries + their snippets), hit_texts per hit, render (the template), the whole request, and a
trivial page (/fi/tietosuoja/: the floor of the middleware and the base template). Page cache off.
"""

import cProfile
import gc
import os
import pstats
import statistics
import sys
import time

root, mode = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "time")
sys.path.insert(0, root)
os.chdir(root)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DEBUG"] = "false"
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("SECRET_KEY", "search-benchmark-only")
os.environ["SECURE_SSL_REDIRECT"] = "false"
os.environ["PUBLIC_PAGE_CACHE_SECONDS"] = "0"
import django  # noqa: E402

django.setup()
from django.core.cache import cache  # noqa: E402
from django.test import Client  # noqa: E402

from bench.search_bench import QUERIES  # noqa: E402

client = Client()
cache.clear()
for q in QUERIES:  # warm-up: thesaurus, statistics, database pages
    client.get("/fi/haku/", {"q": q})
gc.freeze()


def _ms(values):
    ordered = sorted(values)
    return f"{statistics.median(ordered) * 1000:.2f}/{ordered[int(len(ordered) * 0.95)] * 1000:.2f}"


PAGE = os.environ.get("PAGE", "/fi/haku/")  # html: /sv/haku/ or /en/haku/ for the other languages

if mode == "html":
    with open(sys.argv[3], "w") as out:
        for q in QUERIES:
            for extra in ({}, {"page": "2"}, {"kind": "model"}):
                out.write(f"== {q} {extra}\n" + client.get(PAGE, {"q": q, **extra}).content.decode())
            out.write(client.get(PAGE, {"q": q}, HTTP_HX_REQUEST="true").content.decode())
elif mode == "parts":
    from methodbank.search import selectors, views

    spent = {}

    def timed(name, function):
        def wrapper(*args, **kwargs):
            started = time.process_time()
            result = function(*args, **kwargs)
            spent.setdefault(name, []).append(time.process_time() - started)
            return result

        return wrapper

    for name in ("search_entries", "search_hits", "render"):
        setattr(views, name, timed(name, getattr(views, name)))
    selectors.hit_texts = timed("hit_texts (one hit)", selectors.hit_texts)
    total = []
    for _ in range(3):
        for q in QUERIES:
            started = time.process_time()
            client.get("/fi/haku/", {"q": q})
            total.append(time.process_time() - started)
    for name, values in spent.items():
        print(f"{name:22} CPU p50/p95 ms {_ms(values)}")
    print(f"{'whole request':22} CPU p50/p95 ms {_ms(total)}")
    trivial = []
    for _ in range(50):
        started = time.process_time()
        client.get("/fi/tietosuoja/")
        trivial.append(time.process_time() - started)
    print(f"{'trivial page':22} CPU p50/p95 ms {_ms(trivial)}   load {os.getloadavg()[0]:.2f}")
elif mode == "prof":
    profile = cProfile.Profile()
    profile.enable()
    for q in QUERIES:
        client.get("/fi/haku/", {"q": q})
    profile.disable()
    stats = pstats.Stats(profile).sort_stats(os.environ.get("SORT", "cumulative"))
    if os.environ.get("CALLERS"):
        stats.print_callers(os.environ["CALLERS"])
    else:
        stats.print_stats(int(os.environ.get("N", 45)))
elif mode == "new":
    # The uncached page of a query nobody asked before: its entries are new to the per-process
    # stores (facet values, loaded entries) and its words to the snippets' answers.
    import itertools
    import random

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    words = sorted({w for q in QUERIES for w in q.replace('"', "").split() if w.isalpha() and len(w) > 3})
    pairs = list(itertools.combinations(words, 2))
    random.Random(int(os.environ.get("SEED", 1))).shuffle(pairs)
    figures = {}
    for name, queries in (("repeated", QUERIES * 3), ("new", [" ".join(p) for p in pairs[: int(os.environ.get("NEW", 60))]])):
        cpu, counts = [], []
        for q in queries:
            with CaptureQueriesContext(connection) as captured:
                started = time.process_time()
                client.get("/fi/haku/", {"q": q})
                cpu.append(time.process_time() - started)
            counts.append(len(captured.captured_queries))
        figures[name] = f"CPU p50/p95 ms {_ms(cpu)}, SQL queries p50 {statistics.median(counts):g} max {max(counts)}"
    for name, line in figures.items():
        print(f"{name:9} {line}")
    print(f"load {os.getloadavg()[0]:.2f}")
else:
    wall, cpu = [], []
    for _ in range(int(os.environ.get("ROUNDS", 3))):
        for q in QUERIES:
            started, started_cpu = time.perf_counter(), time.process_time()
            client.get("/fi/haku/", {"q": q})
            wall.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
    print(f"wall p50/p95 ms {_ms(wall)}  CPU p50/p95 ms {_ms(cpu)}  load {os.getloadavg()[0]:.2f}")
