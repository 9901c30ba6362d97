"""Search benchmark: a synthetic catalog of realistic Finnish entries, indexed on SQLite (FTS5, temp
file) and PostgreSQL (database mb_bench), then query latency side by side with plain icontains.

    .venv/bin/python bench/search_bench.py                 # 100,000 entries (takes minutes)
    .venv/bin/python bench/search_bench.py --size 20000 --engines sqlite

The text is made of the seed report's own sentences and title words (data/zoomi-2020/report.txt),
shuffled into new entries, so term frequencies look like the real catalog's. Each engine runs in its
own process (one DATABASE_URL per process); this parent prints the figures side by side.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "data" / "zoomi-2020" / "report.txt"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/mb_bench")

# What teachers and guidance counsellors type (see methodbank/search/tests/test_quality.py).
QUERIES = [
    "romaninuoret", "maahanmuuttajille", "opinto-ohjaajalle", "väyläopinnoista", "keskeyttämisvaarassa olevat",
    "nivelvaiheessa", "oppimisanalytiikkaa", "henkilökohtaistaminen", "työpaikkaohjaajille", "osaamismerkit",
    "uraohjaukseen", "opo", "AMK", "HOKS", "valma", "ohjaamo", "oppisopimus", "amis",
    "mentorointi maahanmuuttajat", "digitaalinen jalanjälki", "ohjaava opettajuus", "erityisen tuen opiskelijat",
    "jatkuva haku", "avoin ammattiopisto", "ammattikorkeakouluun siirtyminen", "työvaltainen oppiminen",
    "ohjaus", "opiskelijoiden ohjaus koulutuksen aikana", '"ohjaava opettajuus"', "ohjaa*", "ohjaus -romani",
]
ICONTAINS_QUERIES = ["romani", "maahanmuuttaja", "opinto-ohjaaja", "väyläopinnot", "ohjaus", "HOKS", "amis"]


# --- synthetic text ------------------------------------------------------------------------


def _vocabulary():
    text = REPORT.read_text(encoding="utf-8")
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"[*#<>/]|</?b>", " ", text)
    sentences = []
    for line in text.splitlines():
        line = line.strip(" -\t")
        if len(line) < 60 or "\t" in line:
            continue
        sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", line) if len(s.split()) >= 5]
    titles = [m.group(1) for m in re.finditer(r"\[([^\]]{6,120})\]\(#\)", REPORT.read_text(encoding="utf-8"))]
    title_words = [w for t in titles for w in t.split() if len(w) > 3]
    return sentences, title_words


def _entries(size: int, seed: int = 2020):
    rng = random.Random(seed)
    sentences, title_words = _vocabulary()
    for number in range(size):
        title = " ".join(rng.sample(title_words, rng.randint(2, 6)))
        yield {
            "title": title[:290],
            "slug": f"bench-{number}",
            "summary": " ".join(rng.sample(sentences, rng.randint(1, 3))),
            "content_and_actions": " ".join(rng.sample(sentences, rng.randint(2, 5))),
            "goal_and_target_group": " ".join(rng.sample(sentences, rng.randint(0, 2))),
        }


# --- one engine, in its own process --------------------------------------------------------


def _percentiles(samples):
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return statistics.median(samples) * 1000, p95 * 1000


def run_engine(engine: str, size: int, rounds: int, icontains_rounds: int) -> dict:
    if engine == "sqlite":
        workdir = tempfile.mkdtemp(prefix="mb-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
    else:
        os.environ["DATABASE_URL"] = PG_URL
        database = PG_URL.rsplit("/", 1)[1]
        admin_url = PG_URL.rsplit("/", 1)[0] + "/postgres"
        import psycopg

        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}"')
            conn.execute(f'CREATE DATABASE "{database}"')
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Q

    call_command("migrate", verbosity=0)

    from methodbank.catalog.models import Practice, PracticeKind, PublicationStatus
    from methodbank.search import analysis
    from methodbank.search.indexing import search_index_rebuild
    from methodbank.search.selectors import rank_entries, search_query_parse

    # Entries are written with bulk_create (no signals) and then indexed in one rebuild, as
    # `manage.py rebuild_search_index` does.
    started = time.perf_counter()
    batch = []
    words = 0
    for number, entry in enumerate(_entries(size)):
        words += sum(len(v.split()) for k, v in entry.items() if k != "slug")
        batch.append(
            Practice(
                kind=PracticeKind.MODEL if number % 7 == 0 else PracticeKind.GOOD_PRACTICE,
                status=PublicationStatus.PUBLISHED,
                **entry,
            )
        )
        if len(batch) == 5000:
            Practice.objects.bulk_create(batch)
            batch = []
    if batch:
        Practice.objects.bulk_create(batch)
    created = time.perf_counter() - started

    analysis.cache_clear()
    started = time.perf_counter()
    indexed = search_index_rebuild(batch_size=2000)
    index_seconds = time.perf_counter() - started
    cache = analysis.cache_stats()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_searchdocument")

    # Analyser alone, warm cache: the words of 2,000 entries.
    sample = " ".join(" ".join(e.values()) for e in _entries(2000, seed=7))
    sample_words = len(analysis.words(sample))
    started = time.perf_counter()
    analysis.index_terms(sample)
    analyser_warm = sample_words / (time.perf_counter() - started)
    analysis.cache_clear()
    started = time.perf_counter()
    analysis.index_terms(sample)
    analyser_cold = sample_words / (time.perf_counter() - started)

    parsed = {q: search_query_parse(q) for q in QUERIES}
    for q in QUERIES:  # warm-up: thesaurus, statistics cache, database pages
        rank_entries(parsed[q])
    latencies, hits = [], {}
    for _ in range(rounds):
        for q in QUERIES:
            started = time.perf_counter()
            ranking = rank_entries(search_query_parse(q))
            top = ranking.entries[:10]
            list(Practice.objects.filter(pk__in=[e.practice_id for e in top]).values_list("title", flat=True))
            latencies.append(time.perf_counter() - started)
            hits[q] = len(ranking.entries)

    fields = ["title", "summary", "content_and_actions", "goal_and_target_group"]
    base_latencies = []
    for _ in range(icontains_rounds):
        for q in ICONTAINS_QUERIES:
            condition = Q()
            for name in fields:
                condition |= Q(**{f"{name}__icontains": q})
            started = time.perf_counter()
            list(
                Practice.objects.filter(condition, status=PublicationStatus.PUBLISHED)
                .order_by("title")
                .values_list("title", flat=True)[:10]
            )
            base_latencies.append(time.perf_counter() - started)

    if engine == "sqlite":
        connection.close()
        shutil.rmtree(workdir, ignore_errors=True)

    p50, p95 = _percentiles(latencies)
    b50, b95 = _percentiles(base_latencies)
    return {
        "engine": engine,
        "entries": indexed,
        "words": words,
        "create_s": created,
        "index_s": index_seconds,
        "docs_per_s": indexed / index_seconds,
        "words_per_s_indexing": words / index_seconds,
        "analyser_cold_words_per_s": analyser_cold,
        "analyser_warm_words_per_s": analyser_warm,
        "cache_hit_rate": cache["hit_rate"],
        "cache_size": cache["size"],
        "p50_ms": p50,
        "p95_ms": p95,
        "icontains_p50_ms": b50,
        "icontains_p95_ms": b95,
        "queries": len(latencies),
        "candidate_limit": __import__("methodbank.search.engines", fromlist=["x"]).candidate_limit(),
        "max_hits": max(hits.values()),
    }


# --- parent: run each engine, print side by side --------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="number of synthetic entries (default 100000)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds over the query set (default 5)")
    parser.add_argument("--icontains-rounds", type=int, default=2, help="rounds of the icontains baseline")
    parser.add_argument("--engines", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.size < 1:
        parser.error("--size must be positive")

    if args.child:
        print(json.dumps(run_engine(args.child, args.size, args.rounds, args.icontains_rounds)))
        return

    results = []
    for engine in [e.strip() for e in args.engines.split(",") if e.strip()]:
        if engine not in {"sqlite", "postgresql"}:
            parser.error(f"unknown engine {engine!r}")
        print(f"… {engine}: building {args.size:,} entries, indexing, querying", file=sys.stderr, flush=True)
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, __file__, "--child", engine, "--size", str(args.size), "--rounds", str(args.rounds),
             "--icontains-rounds", str(args.icontains_rounds)],
            capture_output=True, text=True, cwd=ROOT,
        )
        if out.returncode != 0:
            print(out.stderr[-3000:], file=sys.stderr)
            sys.exit(f"{engine} run failed")
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"  done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)

    rows = [
        ("entries indexed", "entries", "{:,.0f}"),
        ("words in the catalog", "words", "{:,.0f}"),
        ("indexing time (s)", "index_s", "{:.1f}"),
        ("indexing throughput (docs/s)", "docs_per_s", "{:,.0f}"),
        ("indexing throughput (words/s)", "words_per_s_indexing", "{:,.0f}"),
        ("analyser, cold cache (words/s)", "analyser_cold_words_per_s", "{:,.0f}"),
        ("analyser, warm cache (words/s)", "analyser_warm_words_per_s", "{:,.0f}"),
        ("lemma cache hit rate (indexing)", "cache_hit_rate", "{:.1%}"),
        ("distinct words cached", "cache_size", "{:,.0f}"),
        ("queries timed", "queries", "{:,.0f}"),
        ("search p50 (ms)", "p50_ms", "{:.2f}"),
        ("search p95 (ms)", "p95_ms", "{:.2f}"),
        ("icontains p50 (ms)", "icontains_p50_ms", "{:.1f}"),
        ("icontains p95 (ms)", "icontains_p95_ms", "{:.1f}"),
        ("speed-up at p50 (icontains / search)", None, None),
        ("most hits for one query", "max_hits", "{:,.0f}"),
        ("engine candidate limit", "candidate_limit", "{:,.0f}"),
    ]
    names = {"sqlite": "SQLite FTS5", "postgresql": "PostgreSQL FTS"}
    print(f"\nSearch benchmark: {args.size:,} synthetic entries, {len(QUERIES)} queries × {args.rounds} rounds\n")
    print(f"{'':<40}" + "".join(f"{names[r['engine']]:>18}" for r in results))
    for label, key, fmt in rows:
        if key is None:
            cells = [f"{r['icontains_p50_ms'] / r['p50_ms']:.0f}×" for r in results]
        else:
            cells = [fmt.format(r[key]) for r in results]
        print(f"{label:<40}" + "".join(f"{c:>18}" for c in cells))
    print("\nsearch = parse + expand + engine retrieval + BM25F ranking in Python + loading the top 10;")
    print("icontains = OR of icontains over title, summary and two template fields, ordered by title, top 10.")


if __name__ == "__main__":
    main()
