"""What freezing every entry's whole content costs a report, what "what's new since" costs, and the
entry PDF: on the Zoomi 2020 seed.

Usage: .venv/bin/python bench/report_changes_bench.py [--runs 5] [--keep DIR]

1. Makes a temporary SQLite database, migrated, with the seed imported (data/zoomi-2020/report.txt).
2. In one process, alternating within each run so that both see the same load:
   - the context of the shipped definition "zoomi-2020" built as before (entries without their
     content: the baseline) and as now (with ``public_contents``), with the queries each makes;
   - the size of the frozen context (JSON) without and with the content;
   - "what's new since" a version frozen now, uncached: nothing changed, and 10 entries changed;
   - the PDF of the 5 longest entries: laid out (the first request) and from the cache.
3. Prints medians, and the ratios to the baseline.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def _env(db_path: Path, media: Path) -> dict:
    return dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{db_path}",
        DEBUG="false",
        SECRET_KEY="bench-only-key-" + "x" * 40,
        MEDIA_ROOT=str(media),
        LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="config.settings",
        CACHE_URL="locmemcache://",
        PYTHONPATH=str(ROOT),
    )


def _manage(env, *args):
    proc = subprocess.run([PY, "manage.py", *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{proc.stderr[-3000:]}")


def _timed(call):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = call()
        elapsed = time.perf_counter() - start
    return result, elapsed, len(queries)


class _NoContent:
    def to_json(self):
        return None


def measure(runs: int) -> dict:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from collections import defaultdict

    from django.core.cache import cache
    from django.db import transaction
    from django.utils import timezone, translation

    from methodbank.catalog import documents, selectors
    from methodbank.catalog.models import Practice
    from methodbank.reports import builder
    from methodbank.reports.compare import report_changes_since
    from methodbank.reports.models import PublishedReport, ReportDefinition

    definition = ReportDefinition.objects.get(slug="zoomi-2020")
    real_contents = builder.public_contents
    figures = defaultdict(list)
    for _ in range(runs):
        builder.public_contents = lambda ids: defaultdict(_NoContent)
        before, seconds, queries = _timed(lambda: builder.build_report_context(definition))
        figures["build_before_s"].append(seconds)
        figures["build_before_queries"].append(queries)
        builder.public_contents = real_contents
        now, seconds, queries = _timed(lambda: builder.build_report_context(definition))
        figures["build_now_s"].append(seconds)
        figures["build_now_queries"].append(queries)
    figures["context_before_bytes"] = [len(json.dumps(before))]
    figures["context_now_bytes"] = [len(json.dumps(now))]
    entries = len(now["entries"])

    with transaction.atomic():
        published = PublishedReport.objects.create(
            definition=definition, version=999, title=definition.title, published_at=timezone.now(), context=now
        )
        for _ in range(runs):
            comparison, seconds, queries = _timed(lambda: report_changes_since(published=published))
            assert not comparison.has_differences
            figures["since_unchanged_s"].append(seconds)
            figures["since_queries"].append(queries)
        sid = transaction.savepoint()
        for practice in Practice.objects.published().order_by("id")[:10]:
            practice.results_and_indicators += " Päivitetty."
            practice.save()
        for _ in range(runs):
            comparison, seconds, _queries = _timed(lambda: report_changes_since(published=published))
            assert len(comparison.changed) == 10
            figures["since_10_changed_s"].append(seconds)
        transaction.savepoint_rollback(sid)
        transaction.set_rollback(True)

    longest = sorted(Practice.objects.published(), key=lambda p: -sum(len(getattr(p, n)) for n, _h in Practice.TEMPLATE_FIELDS + [("summary", "")]))[:5]
    with translation.override("fi"):
        for practice in longest:
            practice = selectors.practice_get_published(slug=practice.slug)
            cache.clear()
            data, seconds, _queries = _timed(lambda p=practice: documents.practice_pdf(practice=p))
            figures["entry_pdf_first_s"].append(seconds)
            figures["entry_pdf_bytes"].append(len(data))
            _data, seconds, _queries = _timed(lambda p=practice: documents.practice_pdf(practice=p))
            figures["entry_pdf_cached_s"].append(seconds)
    result = {name: statistics.median(values) for name, values in figures.items()}
    result["entries"] = entries
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", help="keep the database in this directory")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.runs)))
        return

    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="report-changes-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    env = _env(workdir / "zoomi.sqlite3", workdir / "media")
    Path(env["DATABASE_URL"].removeprefix("sqlite:///")).unlink(missing_ok=True)
    print("migrating and importing the seed …", flush=True)
    _manage(env, "migrate", "-v0")
    _manage(env, "import_report", "data/zoomi-2020/report.txt", "-v0")
    proc = subprocess.run([PY, __file__, "--child", "--runs", str(args.runs)], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    if proc.returncode:
        sys.exit(proc.stderr[-3000:])
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    print(f"\nZoomi 2020 seed, {r['entries']} entries, medians of {args.runs} runs\n")
    print(f"{'':44}{'before':>12}{'now':>12}{'ratio':>8}")
    print(f"{'report context build (s)':44}{r['build_before_s']:12.3f}{r['build_now_s']:12.3f}"
          f"{r['build_now_s'] / r['build_before_s']:8.2f}")
    print(f"{'  queries':44}{r['build_before_queries']:12.0f}{r['build_now_queries']:12.0f}")
    print(f"{'frozen context (kB of JSON)':44}{r['context_before_bytes'] / 1024:12.0f}{r['context_now_bytes'] / 1024:12.0f}"
          f"{r['context_now_bytes'] / r['context_before_bytes']:8.2f}")
    print(f"{'what is new since, nothing changed (s)':44}{'':12}{r['since_unchanged_s']:12.3f}"
          f"{r['since_unchanged_s'] / r['build_before_s']:8.2f}  (ratio to the old context build)")
    print(f"{'  queries':44}{'':12}{r['since_queries']:12.0f}")
    print(f"{'what is new since, 10 entries changed (s)':44}{'':12}{r['since_10_changed_s']:12.3f}")
    print(f"{'entry PDF, laid out (s)':44}{'':12}{r['entry_pdf_first_s']:12.3f}")
    print(f"{'entry PDF, from the cache (s)':44}{'':12}{r['entry_pdf_cached_s']:12.4f}"
          f"{r['entry_pdf_cached_s'] / r['entry_pdf_first_s']:8.3f}")
    print(f"{'entry PDF size (kB)':44}{'':12}{r['entry_pdf_bytes'] / 1024:12.0f}")


if __name__ == "__main__":
    main()
