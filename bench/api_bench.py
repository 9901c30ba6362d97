"""API read latency and open-data rebuild time on the Zoomi 2020 seed.

Usage: .venv/bin/python bench/api_bench.py [--runs 30]

Makes a temporary SQLite database, migrates it and imports the seed (data/zoomi-2020/report.txt),
then times requests through Django's test client (in-process, no network) and prints medians side
by side with a baseline:

* /api/v1/entries?limit=100: a full 200 answer, and the same with If-None-Match (304) as baseline;
* /api/v1/entries?q=ohjaus (Finnish-aware search) and /api/v1/entries/<id>;
* /api/dumps/entries.json (a prebuilt file) against the site's streamed export
  /fi/avoin-data/entries.json (built from the database on every request) as baseline;
* open_data_build(): the time a publish spends rebuilding the dumps.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _child(runs: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from methodbank.api.opendata import open_data_build
    from methodbank.catalog.models import Practice

    call_command("migrate", verbosity=0)
    call_command("import_report", str(ROOT / "data/zoomi-2020/report.txt"), verbosity=0)
    client = Client()
    first_id = Practice.objects.filter(status="published").order_by("id").values_list("pk", flat=True).first()
    # The cursor of the last page of 100: the id before the last 100 published entries.
    last_id = (
        Practice.objects.filter(status="published").order_by("-id").values_list("pk", flat=True)[100:101].first() or 0
    )

    def timed(fn):
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            fn()
            samples.append((time.perf_counter() - start) * 1000)
        return statistics.median(samples)

    def get(url, **headers):
        def call():
            response = client.get(url, **headers)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            assert response.status_code in (200, 304), (url, response.status_code)
            return response

        return call

    etag = client.get("/api/v1/entries?limit=100")["ETag"]
    open_data_build()
    rows = [
        ("entries?limit=100 (200)", timed(get("/api/v1/entries?limit=100")),
         "same, If-None-Match (304)", timed(get("/api/v1/entries?limit=100", HTTP_IF_NONE_MATCH=etag))),
        ("entries?limit=100&view=summary", timed(get("/api/v1/entries?limit=100&view=summary")),
         "same, the last page by cursor", timed(get(f"/api/v1/entries?limit=100&view=summary&after={last_id}"))),
        ("entries?q=ohjaus", timed(get("/api/v1/entries?q=ohjaus")),
         "entries?limit=20 (no q)", timed(get("/api/v1/entries"))),
        (f"entries/{first_id}", timed(get(f"/api/v1/entries/{first_id}")), "themes", timed(get("/api/v1/themes"))),
        ("dumps/entries.json (file)", timed(get("/api/dumps/entries.json")),
         "site export, streamed", timed(get("/fi/avoin-data/entries.json"))),
        ("open_data_build() (5 files)", timed(open_data_build), "", 0.0),
    ]
    print(f"Zoomi 2020 seed: {Practice.objects.filter(status='published').count()} published entries; "
          f"median of {runs} runs, milliseconds")
    print(f"{'measured':34} {'ms':>8}   {'baseline':34} {'ms':>8}")
    for name, value, base_name, base_value in rows:
        base = "" if base_name == "" else f"{base_value:8.1f}"
        print(f"{name:34} {value:8.1f}   {base_name:34} {base}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.runs)
        return
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env.update(
            DATABASE_URL=f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
            MEDIA_ROOT=str(Path(tmp) / "media"),
            DEBUG="false",
            STATIC_MANIFEST="false",  # no collectstatic here: plain static names
            SECRET_KEY="bench-only-key-" + "x" * 40,
            DJANGO_SETTINGS_MODULE="config.settings",
            API_THROTTLE_ANON_RATE="",
            OPEN_DATA_REBUILD_ON_PUBLISH="false",
            SECURE_SSL_REDIRECT="false",
            LOG_LEVEL="ERROR",
            TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
        )
        subprocess.run([sys.executable, __file__, "--child", "--runs", str(args.runs)], env=env, cwd=ROOT, check=True)


if __name__ == "__main__":
    main()
