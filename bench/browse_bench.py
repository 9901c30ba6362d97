"""Browse benchmark: every public page type at the seed's 221 entries and at a grown catalog of
10,000 and 100,000 entries, uncached and with DEBUG off, on SQLite and PostgreSQL: time p50 and p95,
HTML size and query count, side by side in one run.

    .venv/bin/python bench/browse_bench.py                          # 221, 10,000 and 100,000 entries
    .venv/bin/python bench/browse_bench.py --reuse --sizes 221,10000 --engines sqlite
    .venv/bin/python bench/browse_bench.py --build-only --sizes 100000   # build the databases and stop
    .venv/bin/python bench/browse_bench.py --reuse --baseline /tmp/old-checkout   # "before" column
    .venv/bin/python bench/browse_bench.py --reuse --sizes 100000 --pages "keyword,search page"  # some pages only

The grown catalog starts from the imported seed (data/zoomi-2020/report.txt) and copies it until it has
the size asked for, so placements fall across themes, subthemes and periods in the seed's proportions.
Copies are published over the past years (so "newest" means something), their projects are copies of
the seed's projects with ten copies' entries each (a seed project with 20 entries becomes one with
200), every entry keeps the seed's keyword and gets two to five of 300 synthetic keywords (Zipf-like,
so a few are on a tenth of the catalog), a tenth of the entries and projects have a Swedish
translation and a twentieth an English one, and a third of the models have an expert recommendation
and another third peer assessments. Everything is written with bulk_create and then indexed for the
search in one rebuild, as `manage.py rebuild_search_index` does.

Each engine and size runs in its own process (one DATABASE_URL per process, DEBUG off, page cache
off). With --baseline DIR the same pages are also measured with the code checked out in DIR (e.g.
`git archive <commit> | tar -x -C DIR`), against the same databases, for a before/after table.
Each run first migrates the databases with this checkout, so a baseline shares this checkout's
indexes; for a "before" without them, migrate the databases back (e.g. `manage.py migrate catalog
0009`) and run the old checkout's own script on them with --reuse, then this one.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "data" / "zoomi-2020" / "report.txt"
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/mb_browsebench_listings")
DATA_DIR = Path(os.environ.get("BENCH_DATA_DIR", "/tmp/mb-browsebench-listings"))
SEED_SIZE = 221
PROJECT_COPIES_PER_GENERATION = 10
KEYWORDS = 300
LIMITS = {"bytes": 150 * 1024, "p95_ms": 100}


# --- databases -----------------------------------------------------------------------------


def _database_url(engine: str, size: int) -> str:
    if engine == "sqlite":
        return f"sqlite:///{DATA_DIR / f'browse-{size}.sqlite3'}"
    return f"{PG_URL}_{size}"


def _meta_path(engine: str, size: int) -> Path:
    return DATA_DIR / f"{engine}-{size}.json"


def _fresh_database(engine: str, size: int) -> None:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    _meta_path(engine, size).unlink(missing_ok=True)
    if engine == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            (DATA_DIR / f"browse-{size}.sqlite3{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    database = _database_url(engine, size).rsplit("/", 1)[1]
    with psycopg.connect(PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}"')
        conn.execute(f'CREATE DATABASE "{database}"')


def _django(engine: str, size: int, code_root: Path = ROOT):
    os.environ["DATABASE_URL"] = _database_url(engine, size)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    # As in production: with DEBUG on, Django also records every SQL statement, which costs time.
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("STATIC_MANIFEST", "false")  # no collectstatic here: plain static names
    os.environ.setdefault("SECRET_KEY", "browse-benchmark-only")
    os.environ["SECURE_SSL_REDIRECT"] = "false"  # the test client speaks plain HTTP
    os.environ["PUBLIC_PAGE_CACHE_SECONDS"] = "0"  # measure the page, not the page cache
    os.environ["OPEN_DATA_REBUILD_ON_PUBLISH"] = "false"
    os.environ["CACHE_URL"] = "locmemcache://"
    # The API's list endpoints are measured many times from one address: not its rate limit.
    os.environ["API_THROTTLE_ANON_RATE"] = ""
    sys.path.insert(0, str(code_root))
    os.chdir(code_root)
    import django

    django.setup()


# --- the grown catalog ---------------------------------------------------------------------


def _keyword_words():
    import re

    words = sorted({w.lower().strip(".,:;()\"'") for w in re.findall(r"\w[\w-]{5,}", REPORT.read_text("utf-8"))})
    rng = random.Random(23)
    return rng.sample([w for w in words if not w[0].isdigit()], KEYWORDS)


def build(size: int) -> dict:
    """Import the seed, then copy it until the catalog has ``size`` published entries."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from methodbank.catalog.models import (
        Keyword,
        Placement,
        Practice,
        PracticeKind,
        PracticeTranslation,
        Project,
        ProjectTranslation,
        PublicationStatus,
    )
    from methodbank.evaluation.models import (
        CriteriaSet,
        EvaluationEvent,
        ExpertRecommendation,
        Outcome,
        PeerAssessment,
        Phase,
    )
    from methodbank.search.indexing import search_index_rebuild

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("import_report", str(REPORT), verbosity=0)
    rng = random.Random(size)
    now = timezone.now()
    seed = list(Practice.objects.filter(status=PublicationStatus.PUBLISHED).order_by("pk"))
    seed_placements = {}
    for placement in Placement.objects.filter(practice__in=seed):
        seed_placements.setdefault(placement.practice_id, []).append(placement)
    seed_keywords = {}
    for row in Practice.keywords.through.objects.filter(practice__in=seed):
        seed_keywords.setdefault(row.practice_id, []).append(row.keyword_id)
    seed_projects = list(Project.objects.filter(status=PublicationStatus.PUBLISHED).order_by("pk"))
    project_themes = {}
    for row in Project.themes.through.objects.all():
        project_themes.setdefault(row.project_id, []).append(row.theme_id)

    Keyword.objects.bulk_create(
        [Keyword(name=word[:100], slug=slugify(word)[:120]) for word in _keyword_words()],
        ignore_conflicts=True,
    )
    keywords = list(Keyword.objects.exclude(pk__in=[k for ks in seed_keywords.values() for k in ks]).order_by("pk"))
    weights = [1 / (rank + 1) for rank in range(len(keywords))]  # Zipf-like: a few keywords are everywhere

    coordinator = get_user_model().objects.create_user(username="bench-coordinator", email="bench@example.org")
    peer_set = CriteriaSet.objects.filter(phase=Phase.PEER).order_by("-pk").first()
    outcomes = [value for value, _label in Outcome.choices]

    copies = math.ceil((size - len(seed)) / len(seed)) if size > len(seed) else 0
    written = len(seed)
    for generation_start in range(1, copies + 1, PROJECT_COPIES_PER_GENERATION):
        generation = (generation_start - 1) // PROJECT_COPIES_PER_GENERATION + 1
        with transaction.atomic():
            projects = Project.objects.bulk_create(
                [
                    Project(
                        name=f"{p.name} {generation + 1}", slug=f"{p.slug}-{generation + 1}"[:300],
                        short_name=p.short_name, lead_id=p.lead_id, ends_on=p.ends_on, scope=p.scope,
                        description=p.description, funding_programme=p.funding_programme,
                        status=PublicationStatus.PUBLISHED, published_at=now, language=p.language,
                    )
                    for p in seed_projects
                ]
            )
            project_of = {old.pk: new.pk for old, new in zip(seed_projects, projects, strict=True)}
            Project.themes.through.objects.bulk_create(
                [
                    Project.themes.through(project_id=new.pk, theme_id=theme_id)
                    for old, new in zip(seed_projects, projects, strict=True)
                    for theme_id in project_themes.get(old.pk, [])
                ]
            )
            ProjectTranslation.objects.bulk_create(
                [
                    ProjectTranslation(project_id=new.pk, language="sv", name=f"Projekt {new.name}",
                                       description="Projektets beskrivning på svenska.")
                    for new in projects if rng.random() < 0.1
                ]
            )
            event = EvaluationEvent.objects.create(
                title=f"Työpaja {generation}", date=datetime.date(2021, 1, 1) + datetime.timedelta(days=30 * generation),
                place="Helsinki", coordinator=coordinator, criteria_set=peer_set,
                access_expires_at=now,
            )
            for copy in range(generation_start, min(copies, generation_start + PROJECT_COPIES_PER_GENERATION - 1) + 1):
                batch = seed[: size - written]
                if not batch:
                    break
                published = now - datetime.timedelta(days=(copies - copy) * 3, minutes=copy)
                new = Practice.objects.bulk_create(
                    [
                        Practice(
                            **{
                                f.attname: getattr(p, f.attname)
                                for f in Practice._meta.concrete_fields
                                if f.attname not in {"id", "slug", "title", "project_id", "published_at", "applies_model_id"}
                            },
                            slug=f"{p.slug}-{copy + 1}"[:320],
                            title=f"{p.title} {copy + 1}",
                            project_id=project_of.get(p.project_id),
                            published_at=published,
                        )
                        for p in batch
                    ]
                )
                written += len(new)
                Placement.objects.bulk_create(
                    [
                        Placement(practice_id=n.pk, theme_id=pl.theme_id, subtheme_id=pl.subtheme_id,
                                  period_id=pl.period_id, position=pl.position)
                        for old, n in zip(batch, new, strict=True)
                        for pl in seed_placements.get(old.pk, [])
                    ]
                )
                through = []
                for old, n in zip(batch, new, strict=True):
                    chosen = set(seed_keywords.get(old.pk, []))
                    chosen |= {k.pk for k in rng.choices(keywords, weights, k=rng.randint(2, 5))}
                    through += [Practice.keywords.through(practice_id=n.pk, keyword_id=k) for k in chosen]
                Practice.keywords.through.objects.bulk_create(through)
                translations = []
                for n in new:
                    for language, share in (("sv", 0.1), ("en", 0.05)):
                        if rng.random() < share:
                            translations.append(
                                PracticeTranslation(practice_id=n.pk, language=language, title=f"{language}: {n.title}",
                                                    summary=n.summary[:400], content_and_actions=n.content_and_actions)
                            )
                PracticeTranslation.objects.bulk_create(translations)
                models = [n for n in new if n.kind == PracticeKind.MODEL]
                ExpertRecommendation.objects.bulk_create(
                    [
                        ExpertRecommendation(
                            event=event, practice_id=m.pk, outcome=rng.choice(outcomes), rationale="Perustelu.",
                            decided_by=coordinator, decided_on=event.date, evaluated_lock_version=m.lock_version,
                            evaluated_updated_at=m.updated_at, evaluated_snapshot={"title": m.title},
                        )
                        for m in models[0::3]
                    ]
                )
                PeerAssessment.objects.bulk_create(
                    [
                        PeerAssessment(event=event, practice_id=m.pk, criteria_set=peer_set, anonymous_id=f"r{r}",
                                       scores={}, strengths="Vahvuus.")
                        for m in models[1::3]
                        for r in range(3)
                    ]
                )
                event.models_on_agenda.add(*models)
    created = time.perf_counter() - started
    started = time.perf_counter()
    indexed = search_index_rebuild(batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "VACUUM ANALYZE")
    return {"entries": indexed, "create_s": round(created, 1), "index_s": round(time.perf_counter() - started, 1)}


# --- pages ---------------------------------------------------------------------------------


def pages() -> list[tuple[str, str]]:
    """(label, address) of every public page type, each at its largest in this catalog (a page whose
    content this catalog lacks, such as a browse value no entry has, is left out)."""
    from django.db.models import Count, Q
    from django.urls import reverse
    from django.utils import translation

    from methodbank.catalog.models import Keyword, Practice, PracticeKind, Project, Subtheme, Theme
    from methodbank.evaluation.models import ExpertRecommendation
    from methodbank.search.models import Concept, FacetStatus

    published = Q(placements__practice__status="published")
    translation.activate("fi")
    theme = Theme.objects.annotate(n=Count("placements", filter=published)).order_by("-n", "code").first()
    subtheme = Subtheme.objects.annotate(n=Count("placements", filter=published)).order_by("-n", "pk").first()
    keyword = (
        Keyword.objects.annotate(n=Count("practices", filter=Q(practices__status="published")))
        .order_by("-n", "pk").first()
    )
    # The biggest synthetic keyword (the seed's keyword is on every entry): one not on the seed's entries.
    seed_entries = Practice.objects.filter(status="published").order_by("pk").values("pk")[:SEED_SIZE]
    synthetic_keyword = (
        Keyword.objects.exclude(practices__in=seed_entries)
        .annotate(n=Count("practices", filter=Q(practices__status="published")))
        .order_by("-n", "pk").first()
    ) or keyword
    project = (
        Project.objects.filter(status="published")
        .annotate(n=Count("practices", filter=Q(practices__status="published"))).order_by("-n", "pk").first()
    )
    evaluated = ExpertRecommendation.objects.order_by("-practice_id").values_list("practice_id", flat=True).first()
    model = Practice.objects.filter(pk=evaluated).first() or Practice.objects.filter(kind=PracticeKind.MODEL).first()
    practice = Practice.objects.filter(kind=PracticeKind.GOOD_PRACTICE, status="published").order_by("-pk").first()
    browse_value = (
        Concept.objects.filter(facet_value=True)
        .annotate(n=Count("assignments", filter=Q(assignments__status=FacetStatus.CONFIRMED,
                                                  assignments__practice__status="published")))
        .filter(n__gt=0).order_by("-n", "pk").first()
    )
    feed = lambda segment, key: reverse("follows:feed", kwargs={"segment": segment, "key": key})  # noqa: E731
    published = Practice.objects.filter(status="published")
    try:
        from methodbank.api.pagination import id_page  # noqa: F401  (the API pages by cursor)

        def api_last_page(url, entries):
            before_last = entries.order_by("-pk").values_list("pk", flat=True).distinct()[100:101]
            return f"{url}&after={before_last[0] if before_last else 0}"
    except ImportError:

        def api_last_page(url, entries):
            return f"{url}&offset={max(entries.values('pk').distinct().count() - 100, 0)}"

    result = [
        # The front page's and the search page's figures read the whole catalog: cached until the next
        # change (core/cache.py). After a publish the background worker (production: Redis and
        # db_worker) recomputes them; until it has (within the warm-up), or if no worker runs, an
        # anonymous visitor is served those of the version before, and without a worker they are
        # recomputed after that visitor's response is sent (the row "recompute after the response").
        # "cold cache": the cache has none (after a deploy or a Redis flush). Since they are also kept
        # in the database with the catalog's generation (core/shared_figures.py), the page reads them
        # there: exact if nothing changed since ("cold cache"), or those of one change before within
        # the stale bound ("cold cache, one change since", recomputed after the response). "Nothing
        # kept": neither the cache nor the database has them (a first start without
        # `manage.py warm_shared_figures`): the visitor computes them; before the database kept them,
        # "cold cache" was this.
        ("front page", reverse("core:home")),
        ("front page, after a publish", reverse("core:home")),
        ("front page, within the warm-up", reverse("core:home")),
        ("front page, after a publish, no worker", reverse("core:home")),
        ("front page, cold cache", reverse("core:home")),
        ("front page, cold cache, one change since", reverse("core:home")),
        ("front page, cold cache, nothing kept", reverse("core:home")),
        ("theme", theme.get_absolute_url()),
        ("subtheme", subtheme.get_absolute_url()),
        ("subtheme, last page", subtheme.get_absolute_url() + "?page=last"),
        ("keyword", reverse("catalog:keyword", kwargs={"slug": keyword.slug})),
        ("keyword, last page", reverse("catalog:keyword", kwargs={"slug": keyword.slug}) + "?page=last"),
        ("project", project.get_absolute_url()),
        ("project index", reverse("catalog:project_list")),
        ("project index, last page", reverse("catalog:project_list") + "?page=last"),
        ("entry: model", model.get_absolute_url()),
        ("entry: good practice", practice.get_absolute_url()),
        ("search: ohjaus", reverse("search:search") + "?q=ohjaus"),
        ("search page", reverse("search:search")),
        ("search page, after a publish", reverse("search:search")),
        ("search page, within the warm-up", reverse("search:search")),
        ("search page, after a publish, no worker", reverse("search:search")),
        ("search page, cold cache", reverse("search:search")),
        ("search page, cold cache, one change since", reverse("search:search")),
        ("search page, cold cache, nothing kept", reverse("search:search")),
        # A facet link: its facet counts are kept per selection (search/selectors._browse_facets).
        ("search page, a theme", reverse("search:search") + f"?theme={theme.slug}"),
        ("search page, a theme, after a publish, no worker", reverse("search:search") + f"?theme={theme.slug}"),
        ("search page, a theme, cold cache", reverse("search:search") + f"?theme={theme.slug}"),
        # Selections not kept in the database (search/selectors.KEPT_SELECTION_PARAMS): the biggest
        # keyword, the biggest subtheme, a theme and a keyword, a kind and a theme. "cold cache": the
        # cache has nothing (a deploy, a Redis flush), the database what the warm-up left there;
        # "nothing kept": the database neither.
        *(
            (f"search page, {name}{state}", reverse("search:search") + query)
            for name, query in (
                ("a keyword", f"?keyword={synthetic_keyword.slug}"),
                ("a subtheme", f"?subtheme={subtheme.pk}"),
                ("a theme and a keyword", f"?theme={theme.slug}&keyword={synthetic_keyword.slug}"),
                ("a kind and a theme", f"?kind={PracticeKind.MODEL}&theme={theme.slug}"),
            )
            for state in ("", ", cold cache")
        ),
        ("search page, a theme and a keyword, cold cache, nothing kept",
         reverse("search:search") + f"?theme={theme.slug}&keyword={synthetic_keyword.slug}"),
        ("browse index", reverse("search:browse")),
        *(
            [
                ("browse value", reverse("search:browse_facet", kwargs={"identifier": browse_value.identifier})),
                ("browse value, last page",
                 reverse("search:browse_facet", kwargs={"identifier": browse_value.identifier}) + "?page=last"),
            ]
            if browse_value else []
        ),
        ("feed: all", reverse("follows:feed_all")),
        ("feed: theme", feed("teemat", theme.slug)),
        ("feed: subtheme", feed("alateemat", f"{subtheme.theme.slug}/{subtheme.slug}")),
        ("feed: project", feed("hankkeet", project.slug)),
        ("feed: search ohjaus", reverse("follows:feed_search") + "?q=ohjaus"),
        ("open data", reverse("catalog:open_data")),
        ("published reports", reverse("reports:published_list")),
        ("accessibility", reverse("core:accessibility")),
        ("privacy", reverse("core:privacy")),
        # The API's list endpoints (JSON; limit 100 is the largest page a client may ask).
        ("api: entries", "/api/v1/entries?limit=100"),
        # The last page: by cursor (issue 23) where the code has one (a baseline from before it: by
        # offset, which the cursor's code refuses past 10,000 with a 400 that names the cursor).
        ("api: entries, last page", api_last_page("/api/v1/entries?limit=100", published)),
        ("api: entries, a theme", f"/api/v1/entries?limit=100&theme={theme.code}"),
        ("api: entries, a theme, last page",
         api_last_page(f"/api/v1/entries?limit=100&theme={theme.code}", published.filter(placements__theme=theme))),
        ("api: entries ohjaus", "/api/v1/entries?limit=100&q=ohjaus"),
        # Whole entries are kept as JSON until the catalog changes (api/entry_json.py): the first
        # page after each change renders them all again (and counts the list again).
        ("api: entries, after a publish, no worker", "/api/v1/entries?limit=100"),
        ("api: entry, a model", f"/api/v1/entries/{model.pk}"),
        # view=summary (issue 23): what a list shows, with the address of the whole entry.
        ("api: entries, summary", "/api/v1/entries?limit=100&view=summary"),
        ("api: entries, summary, last page", api_last_page("/api/v1/entries?limit=100&view=summary", published)),
        ("api: entries, a theme, summary", f"/api/v1/entries?limit=100&view=summary&theme={theme.code}"),
        ("api: entries ohjaus, summary", "/api/v1/entries?limit=100&view=summary&q=ohjaus"),
        ("api: projects", "/api/v1/projects?limit=100"),
        ("api: keywords", "/api/v1/keywords?limit=100"),
        ("api: organisations", "/api/v1/organisations?limit=100"),
        ("api: facet values", "/api/v1/facet-values?limit=100"),
        ("api: themes", "/api/v1/themes"),
        ("api: subthemes", "/api/v1/subthemes?limit=100"),
        ("api: periods", "/api/v1/periods"),
    ]
    translation.deactivate()
    return result


def _p95(samples):
    samples = sorted(samples)
    return samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]


def _selected(label: str, wanted: str) -> bool:
    """--pages: labels that start with one of the comma-separated prefixes (all pages without it)."""
    return not wanted or any(label.startswith(prefix.strip()) for prefix in wanted.split(",") if prefix.strip())


def measure(engine: str, size: int, rounds: int, wanted: str = "") -> dict:
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.http.response import HttpResponseBase
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from methodbank.core.cache import catalog_changed

    try:
        from methodbank.core.cache import warm_shared_figures
    except ImportError:  # a baseline from before the warm-up: every visitor after a publish computes
        warm_shared_figures = None

    # A response's closers (core/cache.py recomputes a stale figure there) run when the server closes
    # it, once the body is sent: the visitor's time ends where close() begins. The test client closes
    # the response inside client.get(), so mark that moment.
    closing = []
    original_close = HttpResponseBase.close

    def close(self):
        closing.append((time.perf_counter(), time.process_time(), len(connection.queries_log)))
        original_close(self)

    HttpResponseBase.close = close

    def publish():
        """What a publish does to the cache: a new catalog version (autocommit: both bumps at once)."""
        catalog_changed()

    def forget_kept_figures():
        """The figures kept in the database (none in a baseline from before they were)."""
        try:
            from methodbank.core.models import SharedFigure
        except ImportError:
            return
        SharedFigure.objects.all().delete()

    client = Client()
    figures = {}
    for label, url in pages():
        if not _selected(label, wanted):
            continue
        client.get(url)  # warm the process (templates, translations), not the data
        if warm_shared_figures is not None and (
            "after a publish" in label or "within the warm-up" in label or "cold cache" in label
        ):
            # The figures of the version before the first publish; for a cold cache, what the
            # warm-up left in the database (and what an earlier page's "nothing kept" removed).
            warm_shared_figures()
        latencies, cpu, db, status, length, queries = [], [], [], None, 0, 0
        after, after_queries = [], 0
        # With the worker's warm-up (seconds at 100,000 entries) before each request: fewer rounds.
        worker_rounds = warm_shared_figures is not None and label.endswith("after a publish")
        for _ in range(max(5, rounds // 4) if worker_rounds else rounds):
            if "cold cache" in label:
                cache.clear()
                if label.endswith("one change since"):
                    publish()
                elif label.endswith("nothing kept"):
                    forget_kept_figures()
            elif "after a publish" in label or "within the warm-up" in label:
                publish()
                if warm_shared_figures is not None and label.endswith("after a publish"):
                    warm_shared_figures()  # what db_worker does right after the publish commits
            # Within the warm-up the worker is expected (WARM_SHARED_FIGURES) but has not finished.
            settings.WARM_SHARED_FIGURES = "within the warm-up" in label
            reset_queries()
            closing.clear()
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                ended, ended_cpu = time.perf_counter(), time.process_time()
            settings.WARM_SHARED_FIGURES = False
            closed, closed_cpu, closed_queries = closing[0] if closing else (ended, ended_cpu, len(captured))
            latencies.append(closed - started)
            cpu.append(closed_cpu - started_cpu)
            after.append(ended - closed)
            # Time spent waiting for the database's answers (PostgreSQL's work, which the CPU figure lacks).
            db.append(sum(float(query["time"]) for query in captured.captured_queries[:closed_queries]))
            status, length, queries = response.status_code, len(response.content), closed_queries
            after_queries = len(captured) - closed_queries
        figures[label] = {
            "status": status, "bytes": length, "queries": queries,
            "p50_ms": statistics.median(latencies) * 1000, "p95_ms": _p95(latencies) * 1000,
            # CPU time of this process (SQLite's work included, PostgreSQL's not): on a loaded machine
            # it shows the work apart from the wait for a core.
            "cpu_p50_ms": statistics.median(cpu) * 1000, "cpu_p95_ms": _p95(cpu) * 1000,
            "db_p50_ms": statistics.median(db) * 1000, "db_p95_ms": _p95(db) * 1000,
        }
        if after_queries:
            # The work the process does after the response was sent: no visitor waits for it.
            figures[f"{label}: recompute after the response (background)"] = {
                "status": 200, "bytes": 0, "queries": after_queries,
                "p50_ms": statistics.median(after) * 1000, "p95_ms": _p95(after) * 1000,
            }
    HttpResponseBase.close = original_close
    if warm_shared_figures is not None and _selected("worker: warm-up after a publish (background)", wanted):
        # The worker's own cost after each publish (off any visitor's request).
        latencies, cpu = [], []
        for _ in range(max(3, rounds // 4)):
            publish()
            with CaptureQueriesContext(connection) as captured:
                started, started_cpu = time.perf_counter(), time.process_time()
                warm_shared_figures()
                latencies.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
        figures["worker: warm-up after a publish (background)"] = {
            "status": 200, "bytes": 0, "queries": len(captured),
            "p50_ms": statistics.median(latencies) * 1000, "p95_ms": _p95(latencies) * 1000,
            "cpu_p50_ms": statistics.median(cpu) * 1000,
        }
    return figures


def run_one(args) -> None:
    """Child process: one engine, one size, one code tree; prints JSON."""
    code_root = Path(args.code_root) if args.code_root else ROOT
    meta = _meta_path(args.engine, args.size)
    if args.build_only or not (args.reuse and meta.exists()):
        if args.code_root:
            raise SystemExit("build the databases with this checkout first (without --baseline)")
        _fresh_database(args.engine, args.size)
        _django(args.engine, args.size, code_root)
        meta.write_text(json.dumps(build(args.size)))
        if args.build_only:
            print(meta.read_text())
            return
    else:
        _django(args.engine, args.size, code_root)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    # The old pages take seconds each at 100,000 entries: a few rounds show that well enough.
    rounds = args.rounds if args.size <= 10_000 or not args.code_root else 3
    print(json.dumps({"build": json.loads(meta.read_text()), "pages": measure(args.engine, args.size, rounds, args.pages)}))


def _child(engine, size, args, code_root=None):
    command = [sys.executable, __file__, "--child", "--engine", engine, "--size", str(size),
               "--rounds", str(args.rounds)]
    if args.reuse or code_root:
        command.append("--reuse")
    if args.build_only:
        command.append("--build-only")
    if code_root:
        command += ["--code-root", code_root]
    if args.pages:
        command += ["--pages", args.pages]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"{engine} at {size} failed")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _print_table(results, sizes, engines, baseline):
    kb = lambda n: f"{n / 1024:.0f}"  # noqa: E731
    for engine in engines:
        title = f"\n## {engine}: p50 / p95 (CPU p50 / p95, time in SQL p50 / p95) ms, KB of HTML, queries"
        print(title + (" (before → after)" if baseline else ""))
        labels = list(results[(engine, sizes[0], "after")]["pages"])
        header = ["page"] + [f"{size:,} entries" for size in sizes]
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for label in labels:
            cells = [label]
            for size in sizes:
                after = results[(engine, size, "after")]["pages"].get(label)
                before = results.get((engine, size, "before"), {}).get("pages", {}).get(label)

                def cell(f, label=label):
                    if f is None:
                        return "–"
                    over = f["bytes"] > LIMITS["bytes"] or f["p95_ms"] > LIMITS["p95_ms"]
                    background = label.startswith("worker:") or label.endswith("(background)")
                    flag = " ⚠" if over and not background else ""  # no visitor waits for it
                    status = "" if f["status"] == 200 else f" [{f['status']}]"
                    cpu = f" (cpu {f['cpu_p50_ms']:.0f})" if "cpu_p50_ms" in f else ""
                    if "cpu_p95_ms" in f:
                        cpu = f" (cpu {f['cpu_p50_ms']:.0f} / {f['cpu_p95_ms']:.0f}, db {f['db_p50_ms']:.0f} / {f['db_p95_ms']:.0f})"
                    return (f"{f['p50_ms']:.0f} / {f['p95_ms']:.0f}{cpu} ms, {kb(f['bytes'])} KB, "
                            f"{f['queries']} q{status}{flag}")

                cells.append(f"{cell(before)} → {cell(after)}" if baseline else cell(after))
            print("| " + " | ".join(cells) + " |")
        for size in sizes:
            print(f"- {size:,}: built {results[(engine, size, 'after')]['build']}")
    print(f"\n⚠ = over {LIMITS['bytes'] // 1024} KB or over {LIMITS['p95_ms']} ms at p95.")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default=f"{SEED_SIZE},10000,100000")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--rounds", type=int, default=20, help="requests per page (p95 needs 20)")
    parser.add_argument("--reuse", action="store_true", help="keep databases built by an earlier run")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--baseline", help="a checkout of the code before the change, measured on the same databases")
    parser.add_argument(
        "--pages", default="",
        help='measure only the pages whose label starts with one of these (comma-separated, e.g. "keyword,entry:")',
    )
    parser.add_argument("--json-out", help="also write the figures to this file (JSON)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--engine", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--code-root", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return run_one(args)
    sizes = [int(s) for s in args.sizes.split(",")]
    engines = args.engines.split(",")
    results = {}
    for engine in engines:
        for size in sizes:
            print(f"{engine} at {size:,} entries…", file=sys.stderr, flush=True)
            results[(engine, size, "after")] = _child(engine, size, args)
            if args.build_only:
                continue
            if args.baseline:
                results[(engine, size, "before")] = _child(engine, size, args, code_root=args.baseline)
    if not args.build_only:
        _print_table(results, sizes, engines, args.baseline)
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({"|".join(map(str, k)): v for k, v in results.items()}, indent=1))


if __name__ == "__main__":
    main()
