"""Relevance benchmark: recall@10, nDCG@10, MRR and zero-result share per kind of query, for our
search beside icontains and Snowball BM25 (see evaluate.py for what each is).

    .venv/bin/python bench/relevance/run.py            # imports the catalog into a throwaway SQLite file
    .venv/bin/python bench/relevance/run.py --reuse    # reuse the file imported by an earlier run
    .venv/bin/python bench/relevance/run.py --misses   # also list the judged entries our search misses
    .venv/bin/python bench/relevance/run.py --reuse --set holdout   # the held-out set (holdout.json)
    .venv/bin/python bench/relevance/run.py --reuse --set blind     # the blind set (blind.json)
    .venv/bin/python bench/relevance/run.py --reuse --set blind4    # the fourth, fresh blind set (blind4.json)
    .venv/bin/python bench/relevance/run.py --reuse --set all       # the four sets one after the other
    DATABASE_URL=postgres://.../mp_x .venv/bin/python bench/relevance/run.py --current   # the DB as it is

The throwaway database is under BENCH_RELEVANCE_DIR (default /tmp/mb-relevance-bench).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
REPORT = ROOT / "data" / "zoomi-2020" / "report.txt"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reuse", action="store_true", help="reuse the throwaway database of an earlier run")
    parser.add_argument("--current", action="store_true", help="use DATABASE_URL as it is (no import)")
    parser.add_argument(
        "--misses", action="store_true", help="list the queries whose relevant entries we miss"
    )
    parser.add_argument("--systems", default="search,icontains,bm25", help="comma-separated systems")
    parser.add_argument("--json", help="also write the figures to this file")
    parser.add_argument(
        "--set",
        choices=("tuning", "holdout", "blind", "blind4", "both", "all"),
        default="tuning",
        help="judgments.json (tuning), holdout.json (held out, never tuned on), blind.json (written without "
        "seeing the search or the other sets), blind4.json (a fourth blind set, by another writer), both "
        "(tuning and holdout) or all four, one after the other",
    )
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "relevance-benchmark-only")
    os.environ["DEBUG"] = "false"
    if not args.current:
        directory = Path(os.environ.get("BENCH_RELEVANCE_DIR", "/tmp/mb-relevance-bench"))
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "catalog.sqlite3"
        if not args.reuse and path.exists():
            path.unlink()
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        fresh = not args.reuse or not path.exists()
    import django

    django.setup()
    from django.core.management import call_command

    if not args.current:
        call_command("migrate", verbosity=0)
        if fresh:
            call_command("import_report", str(REPORT), verbosity=0)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from evaluate import BLIND, BLIND4, HOLDOUT, JUDGMENTS, load_judgments

    files = {
        "tuning": [JUDGMENTS],
        "holdout": [HOLDOUT],
        "blind": [BLIND],
        "blind4": [BLIND4],
        "both": [JUDGMENTS, HOLDOUT],
        "all": [JUDGMENTS, HOLDOUT, BLIND, BLIND4],
    }[args.set]
    for path in files:
        report(load_judgments(path), path, args)


def report(judged, path: Path, args) -> None:
    from evaluate import evaluate, table

    systems = tuple(args.systems.split(","))
    means, rows = evaluate(judged, systems)
    counts = Counter(j.kind for j in judged)
    counts["all"] = len(judged)
    languages = Counter(j.language for j in judged)
    print(f"Relevance on {len(judged)} judged queries of {path.name} ({dict(languages)}), top 10\n")
    print(table(means, counts))
    if args.misses:
        from methodbank.catalog.models import Practice

        titles = dict(Practice.objects.values_list("pk", "title"))
        print("\nOur search misses:")
        for row in rows:
            if row.get("missing"):
                print(
                    f"  [{row['kind']}] {row['query']!r} ({row['language']}): {[titles[pk] for pk in row['missing']]}"
                )
    if args.json:
        Path(args.json.replace(".json", f"-{path.stem}.json")).write_text(
            json.dumps({"means": means, "rows": rows}, ensure_ascii=False, indent=1)
        )


if __name__ == "__main__":
    main()
