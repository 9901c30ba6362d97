"""Search benchmark: a synthetic catalog of realistic Finnish entries, indexed on SQLite (file under
/tmp/mb-searchbench) and PostgreSQL (database mb_searchbench), then query latency side by side with
the previous design (full-text engine top 250 + Python re-ranking) and plain icontains, and the
latency of "similar entries".

    .venv/bin/python bench/search_bench.py                 # 100,000 entries (builds for minutes)
    .venv/bin/python bench/search_bench.py --reuse --runs 3  # keep the built databases, 3 runs
    .venv/bin/python bench/search_bench.py --size 20000 --engines sqlite

The text is made of the seed report's own sentences and title words (data/zoomi-2020/report.txt),
shuffled into new entries, so term frequencies look like the real catalog's. Each engine runs in its
own process (one DATABASE_URL per process, DEBUG off as in production); this parent prints the
figures side by side. Not part of the test suite.

The icontains baseline answers the same QUERIES the way the old method-bank sites did: every
whitespace-separated word must appear, case-insensitively, in one of the indexed fields that the
synthetic catalog fills (title, summary, content_and_actions, goal_and_target_group); a "phrase" is
one substring, "ohjaa*" the substring "ohjaa", "-word" excludes entries containing it; published
entries, ordered by title, the first 10. It is timed exactly like the search (same queries, wall
clock per call) and in turns with it, a round of the queries each; speed-ups are given at p50 and
at p95.

Similar entries: services.similar_entries for a different sampled entry per call, with the
per-process vector cache emptied before each call, so every call is cold.

Figures of the whole search page, main against a branch in the same session: bench/SEARCH-RESULTS.md.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "data" / "zoomi-2020" / "report.txt"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/mb_searchbench")
SQLITE_DIR = Path(os.environ.get("BENCH_SQLITE_DIR", "/tmp/mb-searchbench"))
# The previous design's candidate count (engine top-k by its own rank, then BM25F in Python).
LEGACY_LIMIT = 250

# What teachers and guidance counsellors type (see methodbank/search/tests/test_quality.py).
QUERIES = [
    "romaninuoret", "maahanmuuttajille", "opinto-ohjaajalle", "väyläopinnoista", "keskeyttämisvaarassa olevat",
    "nivelvaiheessa", "oppimisanalytiikkaa", "henkilökohtaistaminen", "työpaikkaohjaajille", "osaamismerkit",
    "uraohjaukseen", "opo", "AMK", "HOKS", "valma", "ohjaamo", "oppisopimus", "amis",
    "mentorointi maahanmuuttajat", "digitaalinen jalanjälki", "ohjaava opettajuus", "erityisen tuen opiskelijat",
    "jatkuva haku", "avoin ammattiopisto", "ammattikorkeakouluun siirtyminen", "työvaltainen oppiminen",
    "ohjaus", "opiskelijoiden ohjaus koulutuksen aikana", '"ohjaava opettajuus"', "ohjaa*", "ohjaus -romani",
]
# Words no entry has, as people type them: missing ä/ö, typos (a transposition), forms and
# compounds the index lacks. They go through the fuzzy expansion stage (expansion.py); timed as
# "fuzzy site search" (the same work as the site search above, these queries only).
FUZZY_QUERIES = [
    "tyoelama", "syrjaytyminen", "opinto-ohjaja", "mentroointi", "oppimisanalytikka", "vaylaopinnot",
    "urohjaus", "maahanmuttajien mentorointi", "oppimisanalytiikkatyökalu", "keskeyttamisen ehkaisy",
]
# The fields the search indexes that the synthetic catalog fills (the other template fields, the
# project and the keywords are empty here, so leaving them out of icontains only makes it cheaper).
ICONTAINS_FIELDS = ["title", "summary", "content_and_actions", "goal_and_target_group"]
_ICONTAINS_TOKEN_RE = re.compile(r'(-?)"([^"]*)"?|(\S+)')


def icontains_terms(text: str) -> tuple[list[str], list[str]]:
    """A query of the search's language read the way the old sites' search box would take it:
    (substrings that must appear, substrings that must not). Each whitespace-separated word is a
    substring; a "phrase" is one substring with its words in order; "ohjaa*" is the substring
    "ohjaa" (a substring match is already a prefix match); "-word" / -"phrase" exclude."""
    required, excluded = [], []
    for match in _ICONTAINS_TOKEN_RE.finditer(text):
        negated, phrase, bare = match.group(1), match.group(2), match.group(3)
        if phrase is not None:
            term, target = " ".join(phrase.split()), excluded if negated else required
        else:
            target = excluded if bare.startswith("-") and len(bare) > 1 else required
            term = (bare[1:] if target is excluded else bare).strip("*")
        if term:
            target.append(term)
    return required, excluded


def icontains_queryset(text: str):
    """The icontains baseline for one query: published entries where every required substring is in
    some indexed field (case-insensitive) and no excluded one is in any, ordered by title."""
    from django.db.models import Q

    from methodbank.catalog.models import Practice, PublicationStatus

    def anywhere(term):
        condition = Q()
        for name in ICONTAINS_FIELDS:
            condition |= Q(**{f"{name}__icontains": term})
        return condition

    required, excluded = icontains_terms(text)
    queryset = Practice.objects.filter(status=PublicationStatus.PUBLISHED)
    for term in required:
        queryset = queryset.filter(anywhere(term))
    for term in excluded:
        queryset = queryset.exclude(anywhere(term))
    return queryset.order_by("title")


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
    if not samples:  # a part skipped (--icontains-rounds 0, --page-rounds 0)
        return float("nan"), float("nan")
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return statistics.median(samples) * 1000, p95 * 1000


def _setup(engine: str, size: int, reuse: bool) -> tuple[bool, Path | None]:
    """Point Django at the engine's benchmark database; True if it must be (re)built."""
    meta = None
    if engine == "sqlite":
        SQLITE_DIR.mkdir(parents=True, exist_ok=True)
        path = SQLITE_DIR / f"bench-{size}.sqlite3"
        meta = SQLITE_DIR / f"bench-{size}.sqlite3.json"
        if not reuse or not meta.exists():
            for stale in (path, meta):
                stale.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        return not meta.exists(), meta
    import psycopg

    database = f"{PG_URL.rsplit('/', 1)[1]}_{size}"
    admin_url = PG_URL.rsplit("/", 1)[0] + "/postgres"
    os.environ["DATABASE_URL"] = PG_URL.rsplit("/", 1)[0] + "/" + database
    meta = SQLITE_DIR / f"pg-{database}.json"
    SQLITE_DIR.mkdir(parents=True, exist_ok=True)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if exists and reuse:  # without the figures of its build, the index is rebuilt (_build)
            return not meta.exists(), meta
        conn.execute(f'DROP DATABASE IF EXISTS "{database}"')
        conn.execute(f'CREATE DATABASE "{database}"')
    meta.unlink(missing_ok=True)
    return True, meta


def _build(size: int) -> dict:
    from django.db import connection

    from methodbank.catalog.models import Practice, PracticeKind, PublicationStatus
    from methodbank.search import analysis
    from methodbank.search.indexing import search_index_rebuild
    from methodbank.search.models import SearchPosting

    # Entries are written with bulk_create (no signals) and then indexed in one rebuild, as
    # `manage.py rebuild_search_index` does.
    started = time.perf_counter()
    batch, words = [], 0
    # A build that was interrupted after writing the catalog only needs the index.
    existing = Practice.objects.filter(slug__startswith="bench-").count()
    if existing not in (0, size):
        Practice.objects.filter(slug__startswith="bench-").delete()
    for number, entry in enumerate(_entries(size)):
        words += sum(len(v.split()) for k, v in entry.items() if k != "slug")
        batch.append(
            Practice(
                kind=PracticeKind.MODEL if number % 7 == 0 else PracticeKind.GOOD_PRACTICE,
                status=PublicationStatus.PUBLISHED,
                **entry,
            )
        )
        if len(batch) == 5000 and existing != size:
            Practice.objects.bulk_create(batch)
        if len(batch) == 5000:
            batch = []
    if batch and existing != size:
        Practice.objects.bulk_create(batch)
    created = time.perf_counter() - started

    analysis.cache_clear()
    started = time.perf_counter()
    indexed = search_index_rebuild(batch_size=2000)
    index_seconds = time.perf_counter() - started
    cache = analysis.cache_stats()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("ANALYZE")
        else:
            cursor.execute("VACUUM ANALYZE")
    return {
        "entries": indexed,
        "postings": SearchPosting.objects.count(),
        "words": words,
        "create_s": created,
        "index_s": index_seconds,
        "docs_per_s": indexed / index_seconds,
        "words_per_s_indexing": words / index_seconds,
        "cache_hit_rate": cache["hit_rate"],
    }


def legacy_rank(query, limit=LEGACY_LIMIT):
    """The previous design, for the "before" column: the full-text engine ranks every match by its
    own function and returns its top ``limit``; BM25F re-ranks those in Python from the texts."""
    from bench.fulltext import get_engine
    from methodbank.search.ranking import Scorer, load_candidates
    from methodbank.search.selectors import MIN_COMPLETE_MATCHES, _phrase_ok, _sort_key

    engine = get_engine()
    clause_count = len(query.positive)
    ids = engine.match(query.without_expansions(), require_all=True, limit=limit)
    if len(ids) < limit and query.has_expansions:
        seen = set(ids)
        ids += [pk for pk in engine.match(query, require_all=True, limit=limit) if pk not in seen]
    candidates = load_candidates(ids)
    scorer = Scorer(query)
    complete = [c for c in candidates.values() if scorer.score(c, _phrase_ok).matched == clause_count]
    complete.sort(key=_sort_key)
    result = [c.practice_id for c in complete]
    if len(complete) < MIN_COMPLETE_MATCHES and clause_count > 1:
        more = load_candidates([i for i in engine.match(query, require_all=False, limit=limit) if i not in candidates])
        rest = [c for c in [*candidates.values(), *more.values()] if 0 < scorer.score(c, _phrase_ok).matched < clause_count]
        rest.sort(key=_sort_key)
        result += [c.practice_id for c in rest]
    return result


def exact_top10(query):
    """The true top 10 entries that match every word: every match scored by BM25F (slow; for
    judging how much the top-k retrieval and the previous top-250 design lose)."""
    from bench.fulltext import get_engine
    from methodbank.search.ranking import Scorer, load_candidates
    from methodbank.search.selectors import _phrase_ok, _sort_key

    ids = get_engine().match(query, require_all=True, limit=10**7)
    scorer = Scorer(query)
    clause_count = len(query.positive)
    best = []
    for start in range(0, len(ids), 20000):
        for candidate in load_candidates(ids[start:start + 20000]).values():
            if scorer.score(candidate, _phrase_ok).matched == clause_count:
                best.append(candidate)
        best.sort(key=_sort_key)
        best = best[:10]
    return [c.practice_id for c in best]


def _time(function, queries, rounds, cpu=None):
    """Wall-clock latencies; CPU time of this process per call is appended to ``cpu`` (on a shared,
    loaded machine it shows the work done apart from the wait for a core)."""
    latencies = []
    for _ in range(rounds):
        for q in queries:
            started, started_cpu = time.perf_counter(), time.process_time()
            function(q)
            latencies.append(time.perf_counter() - started)
            if cpu is not None:
                cpu.append(time.process_time() - started_cpu)
    return latencies


def run_engine(
    engine: str, size: int, rounds: int, icontains_rounds: int, reuse: bool, page_rounds: int, exact: bool = False
) -> dict:
    must_build, meta = _setup(engine, size, reuse)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # As in production: with DEBUG on, Django also records every SQL statement, which costs time.
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("STATIC_MANIFEST", "false")  # no collectstatic here: plain static names
    os.environ.setdefault("SECRET_KEY", "search-benchmark-only")
    os.environ["SECURE_SSL_REDIRECT"] = "false"  # the test client speaks plain HTTP
    os.environ["PUBLIC_PAGE_CACHE_SECONDS"] = "0"  # measure the page, not the page cache
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("migrate", verbosity=0)

    from methodbank.catalog.models import Practice
    from methodbank.search import analysis
    from methodbank.search.selectors import rank_entries, search_entries, search_hits, search_query_parse

    if must_build:
        built = _build(size)
        meta.write_text(json.dumps(built))
    built = json.loads(meta.read_text())
    from bench.fulltext import fulltext_tables_build, fulltext_tables_exist

    # The "before" column's engine reads a table of the benchmark's own, built from the index.
    if must_build or not fulltext_tables_exist():
        fulltext_tables_build()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
            built["db_size"] = cursor.fetchone()[0]
    else:
        built["db_size"] = f"{Path(connection.settings_dict['NAME']).stat().st_size / 2**20:.0f} MB"

    # Analyser alone, warm cache: the words of 2,000 entries.
    sample = " ".join(" ".join(e.values()) for e in _entries(2000, seed=7))
    sample_words = len(analysis.words(sample))
    analysis.cache_clear()
    started = time.perf_counter()
    analysis.index_terms(sample)
    analyser_cold = sample_words / (time.perf_counter() - started)
    started = time.perf_counter()
    analysis.index_terms(sample)
    analyser_warm = sample_words / (time.perf_counter() - started)

    slugs = dict(Practice.objects.filter(slug__startswith="bench-").values_list("pk", "slug").iterator(chunk_size=20000))

    def ranking(q):  # what the API and `manage.py search` use: parse, retrieve, rank, top 10 titles
        top = rank_entries(search_query_parse(q)).entries[:10]
        list(Practice.objects.filter(pk__in=[e.practice_id for e in top]).values_list("title", flat=True))

    def site_search(q):  # what the search page calls: ranking + facet counts + the first page's hits
        results = search_entries(text=q)
        search_hits(results, results.entries[:20])

    filtered_counts = []

    def filtered_search(q):  # the same with a facet: models only (one entry in seven)
        results = search_entries(text=q, filters={"kind": ["model"]})
        search_hits(results, results.entries[:20])
        filtered_counts.append(len(results.entries))

    def legacy(q):
        top = legacy_rank(search_query_parse(q))[:10]
        list(Practice.objects.filter(pk__in=top).values_list("title", flat=True))

    from methodbank.search.lexicon import get_lexicon

    started = time.perf_counter()
    get_lexicon()  # built once per process and index version: its cost, then warm
    lexicon_s = time.perf_counter() - started
    for q in FUZZY_QUERIES:
        site_search(q)
    for q in QUERIES:  # warm-up: thesaurus, statistics cache, database pages
        ranking(q)
        site_search(q)
        filtered_search(q)
        legacy(q)
    # As config/wsgi.py does in the server: what exists now lives as long as the process.
    gc.freeze()
    def icontains(q):
        list(icontains_queryset(q).values_list("title", flat=True)[:10])

    # The search and the icontains baseline are timed in turns, a round of all queries each (icontains
    # in the first ``icontains_rounds`` rounds): on a shared machine whose speed drifts by a third
    # within a minute, timing them a minute apart moved their ratio more than any change to the
    # search did. Not query by query: a search right after an icontains scan of the whole catalog
    # ran twice as slow (its caches emptied), which no visitor's search would pay.
    new_cpu, new_lat, base_lat = [], [], []
    for number in range(rounds):
        new_lat += _time(ranking, QUERIES, 1, new_cpu)
        if number < icontains_rounds:
            base_lat += _time(icontains, QUERIES, 1)
    site_lat = _time(site_search, QUERIES, rounds)
    filtered_lat = _time(filtered_search, QUERIES, rounds)
    fuzzy_lat = _time(site_search, FUZZY_QUERIES, rounds)
    legacy_lat = _time(legacy, QUERIES, max(1, rounds // 2))

    # Result comparison: top 10 of the new design (by slug, to compare engines) and overlap with the
    # previous design's top 10.
    tops, overlap, hits, capped, recall_new, recall_old = {}, [], {}, 0, [], []
    for q in QUERIES:
        query = search_query_parse(q)
        r = rank_entries(query)
        new_top = [e.practice_id for e in r.entries[:10]]
        old_top = legacy_rank(query)[:10]
        if exact:
            true_top = exact_top10(query)
            if len(true_top) == 10:  # queries where ten entries match every word
                recall_new.append(len(set(true_top) & set(new_top)) / 10)
                recall_old.append(len(set(true_top) & set(old_top)) / 10)
        tops[q] = [slugs.get(pk, str(pk)) for pk in new_top]
        if old_top:
            overlap.append(len(set(new_top) & set(old_top)) / len(old_top))
        hits[q] = len(r.entries)
        capped += r.capped


    # Similar entries, as every entry page shows them: different entries each call, and the
    # per-process vector cache (similarity.py) emptied before each one, so every call is cold.
    from methodbank.search import similarity
    from methodbank.search.services import similar_entries

    sample_ids = random.Random(11).sample(sorted(slugs), min(len(slugs), len(QUERIES) * rounds))
    sample_practices = list(Practice.objects.filter(pk__in=sample_ids).order_by("pk"))

    def similar(practice):
        similarity.cache_clear()
        similar_entries(practice=practice)

    similar(sample_practices[0])  # warm-up: database pages
    similar_lat = _time(similar, sample_practices, 1)

    page_lat, page_cpu = [], []
    if page_rounds:
        client = Client()
        cache.clear()
        for q in QUERIES[:3]:
            client.get("/fi/haku/", {"q": q})
        for _ in range(page_rounds):
            for q in QUERIES:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get("/fi/haku/", {"q": q})
                page_lat.append(time.perf_counter() - started)
                page_cpu.append(time.process_time() - started_cpu)
                assert response.status_code == 200, response.status_code

    p50, p95 = _percentiles(new_lat)
    c50, c95 = _percentiles(new_cpu)
    s50, s95 = _percentiles(site_lat)
    f50, f95 = _percentiles(filtered_lat)
    l50, l95 = _percentiles(legacy_lat)
    b50, b95 = _percentiles(base_lat)
    m50, m95 = _percentiles(similar_lat)
    g50, g95 = _percentiles(page_lat) if page_lat else (float("nan"), float("nan"))
    gc50, gc95 = _percentiles(page_cpu) if page_cpu else (float("nan"), float("nan"))
    from methodbank.search.selectors import candidate_limit

    return {
        "engine": engine,
        **built,
        "analyser_cold_words_per_s": analyser_cold,
        "analyser_warm_words_per_s": analyser_warm,
        "p50_ms": p50, "p95_ms": p95,
        "cpu_p50_ms": c50, "cpu_p95_ms": c95,
        "site_p50_ms": s50, "site_p95_ms": s95,
        "filtered_p50_ms": f50, "filtered_p95_ms": f95,
        "filtered_min_hits": min(filtered_counts),
        "page_p50_ms": g50, "page_p95_ms": g95,
        "page_cpu_p50_ms": gc50, "page_cpu_p95_ms": gc95,
        "fuzzy_p50_ms": _percentiles(fuzzy_lat)[0], "fuzzy_p95_ms": _percentiles(fuzzy_lat)[1],
        "lexicon_s": lexicon_s,
        "legacy_p50_ms": l50, "legacy_p95_ms": l95,
        "icontains_p50_ms": b50, "icontains_p95_ms": b95,
        "similar_p50_ms": m50, "similar_p95_ms": m95,
        "queries": len(new_lat),
        "candidate_limit": candidate_limit(),
        "max_hits": max(hits.values()),
        "capped_queries": capped,
        "overlap_with_legacy": statistics.mean(overlap) if overlap else 1.0,
        "recall_new": statistics.mean(recall_new) if recall_new else float("nan"),
        "recall_old": statistics.mean(recall_old) if recall_old else float("nan"),
        "recall_queries": len(recall_new),
        "tops": tops,
        "loadavg": os.getloadavg()[0],
    }


# --- parent: run each engine, print side by side --------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000, help="number of synthetic entries (default 100000)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds over the query set per run (default 5)")
    parser.add_argument("--icontains-rounds", type=int, default=2, help="rounds of the icontains baseline")
    parser.add_argument("--page-rounds", type=int, default=1, help="rounds of full search page renders (0: skip)")
    parser.add_argument("--runs", type=int, default=1, help="independent runs; the table shows their medians")
    parser.add_argument("--reuse", action="store_true", help="reuse the databases built by an earlier run")
    parser.add_argument("--engines", default="sqlite,postgresql", help="comma-separated: sqlite,postgresql")
    parser.add_argument("--exact", action="store_true", help="also score every match for the true top 10 (slow)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.size < 1 or args.runs < 1 or args.rounds < 1:
        parser.error("--size, --runs and --rounds must be positive")

    if args.child:
        result = run_engine(
            args.child, args.size, args.rounds, args.icontains_rounds, args.reuse, args.page_rounds, args.exact
        )
        print(json.dumps(result))
        return

    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    for engine in engines:
        if engine not in {"sqlite", "postgresql"}:
            parser.error(f"unknown engine {engine!r}")
    runs: dict[str, list[dict]] = {e: [] for e in engines}
    for run in range(args.runs):
        for engine in engines:
            reuse = args.reuse or run > 0
            print(f"… run {run + 1}/{args.runs}, {engine}: {'reusing' if reuse else 'building'} {args.size:,} entries, "
                  f"load average {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
            started = time.perf_counter()
            command = [sys.executable, __file__, "--child", engine, "--size", str(args.size), "--rounds", str(args.rounds),
                       "--icontains-rounds", str(args.icontains_rounds), "--page-rounds", str(args.page_rounds)]
            command += ["--exact"] if args.exact and run == 0 else []  # slow: once is enough
            out = subprocess.run(command + (["--reuse"] if reuse else []), capture_output=True, text=True, cwd=ROOT)
            if out.returncode != 0:
                print(out.stderr[-3000:], file=sys.stderr)
                sys.exit(f"{engine} run failed")
            runs[engine].append(json.loads(out.stdout.strip().splitlines()[-1]))
            print(f"  done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)

    def median(engine, key):
        values = [r[key] for r in runs[engine] if not (key.startswith("recall") and r.get("recall_queries", 0) == 0)]
        values = values or [float("nan")]
        return statistics.median(values) if isinstance(values[0], (int, float)) else values[-1]

    rows = [
        ("entries indexed", "entries", "{:,.0f}"),
        ("postings", "postings", "{:,.0f}"),
        ("database size", "db_size", "{}"),
        ("words in the catalog", "words", "{:,.0f}"),
        ("indexing time (s)", "index_s", "{:.1f}"),
        ("indexing throughput (docs/s)", "docs_per_s", "{:,.0f}"),
        ("indexing throughput (words/s)", "words_per_s_indexing", "{:,.0f}"),
        ("analyser, cold cache (words/s)", "analyser_cold_words_per_s", "{:,.0f}"),
        ("analyser, warm cache (words/s)", "analyser_warm_words_per_s", "{:,.0f}"),
        ("queries timed per run", "queries", "{:,.0f}"),
        ("search p50 (ms)  [rank_entries]", "p50_ms", "{:.2f}"),
        ("search p95 (ms)  [rank_entries]", "p95_ms", "{:.2f}"),
        ("search CPU p50 (ms) [this process]", "cpu_p50_ms", "{:.2f}"),
        ("search CPU p95 (ms) [this process]", "cpu_p95_ms", "{:.2f}"),
        ("site search p50 (ms) [+facets, hits]", "site_p50_ms", "{:.2f}"),
        ("site search p95 (ms) [+facets, hits]", "site_p95_ms", "{:.2f}"),
        ("site search, kind=model p50 (ms)", "filtered_p50_ms", "{:.2f}"),
        ("site search, kind=model p95 (ms)", "filtered_p95_ms", "{:.2f}"),
        ("fewest hits for one query, kind=model", "filtered_min_hits", "{:.0f}"),
        ("search page p50 (ms) [GET /fi/haku/]", "page_p50_ms", "{:.1f}"),
        ("search page p95 (ms) [GET /fi/haku/]", "page_p95_ms", "{:.1f}"),
        ("search page CPU p50 (ms) [this process]", "page_cpu_p50_ms", "{:.1f}"),
        ("search page CPU p95 (ms) [this process]", "page_cpu_p95_ms", "{:.1f}"),
        ("fuzzy site search p50 (ms) [typos, no ä/ö]", "fuzzy_p50_ms", "{:.2f}"),
        ("fuzzy site search p95 (ms) [typos, no ä/ö]", "fuzzy_p95_ms", "{:.2f}"),
        ("vocabulary lookup build, once per process (s)", "lexicon_s", "{:.2f}"),
        ("before: engine top-250 p50 (ms)", "legacy_p50_ms", "{:.1f}"),
        ("before: engine top-250 p95 (ms)", "legacy_p95_ms", "{:.1f}"),
        ("similar entries p50 (ms) [cold cache]", "similar_p50_ms", "{:.2f}"),
        ("similar entries p95 (ms) [cold cache]", "similar_p95_ms", "{:.2f}"),
        ("icontains p50 (ms)", "icontains_p50_ms", "{:.1f}"),
        ("icontains p95 (ms)", "icontains_p95_ms", "{:.1f}"),
        ("speed-up p50 (icontains / search)", "ratio50", None),
        ("speed-up p95 (icontains / search)", "ratio95", None),
        ("speed-up p95 (before / search)", "ratio_legacy", None),
        ("top-10 overlap with before", "overlap_with_legacy", "{:.0%}"),
        ("recall of the true top 10: search", "recall_new", "{:.0%}"),
        ("recall of the true top 10: before", "recall_old", "{:.0%}"),
        ("  (queries with 10+ complete matches)", "recall_queries", "{:.0f}"),
        ("queries with capped results", "capped_queries", "{:.0f}"),
        ("most hits for one query", "max_hits", "{:,.0f}"),
        ("depth per term / result cap", "candidate_limit", "{:,.0f}"),
        ("load average (1 min) during run", "loadavg", "{:.1f}"),
    ]
    ratios = {
        "ratio50": ("icontains_p50_ms", "p50_ms"),
        "ratio95": ("icontains_p95_ms", "p95_ms"),
        "ratio_legacy": ("legacy_p95_ms", "p95_ms"),
    }
    names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
    print(f"\nSearch benchmark: {args.size:,} synthetic entries, {len(QUERIES)} queries × {args.rounds} rounds, "
          f"median of {args.runs} run(s)\n")
    print(f"{'':<42}" + "".join(f"{names[e]:>16}" for e in engines))
    for label, key, fmt in rows:
        if key in ratios:
            top, bottom = ratios[key]
            cells = [f"{median(e, top) / median(e, bottom):.0f}×" for e in engines]
        else:
            cells = [fmt.format(median(e, key)) for e in engines]
        print(f"{label:<42}" + "".join(f"{c:>16}" for c in cells))
    if len(engines) == 2:
        a, b = (runs[e][-1]["tops"] for e in engines)
        same = sum(a[q] == b[q] for q in QUERIES)
        print(f"\nidentical top 10 on both engines: {same}/{len(QUERIES)} queries")
    print("per-run p95 (ms): " + "; ".join(f"{names[e]} " + ", ".join(f"{r['p95_ms']:.1f}" for r in runs[e]) for e in engines))
    print("CPU = time.process_time() of the benchmark process: all of the work for SQLite (in-process),")
    print("the client's share only for PostgreSQL (the server's work runs in another process).")
    print("\nsearch = parse + expand + postings retrieval + BM25F ranking + loading the top 10 titles;")
    print("site search = selectors.search_entries (+ facet counts) and search_hits for the first 20 (snippets);")
    print("kind=model = the same with the facet filter \"models only\" (one entry in seven): a capped query is ranked")
    print("  again from the models' own best postings, not the best entries overall filtered down;")
    print("before = the previous design: FTS5 bm25() / ts_rank_cd() over every match, top 250, re-ranked in Python;")
    print("similar entries = services.similar_entries (as on every entry page), a different entry per call, vector")
    print("  cache emptied before each call (cold);")
    print("icontains = the same queries the way the old sites searched: every word (a \"phrase\" as one string, ohjaa*")
    print("  as ohjaa, -word excluded) icontains in title, summary or a filled template field; by title, top 10.")
    print("Nothing caches results: the thesaurus version is re-read every 30 s and the collection statistics are")
    print("cached per index version, as on the site.")


if __name__ == "__main__":
    main()
