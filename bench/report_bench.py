"""Time and peak memory to build a report as PDF: the Zoomi 2020 seed and a synthetic 10,000-entry catalog.

Usage: .venv/bin/python bench/report_bench.py [--runs 3] [--entries 10000] [--keep DIR]

1. Makes two temporary SQLite databases: one migrated and with the seed imported
   (data/zoomi-2020/report.txt), one migrated and filled with a synthetic catalog of --entries
   published entries (4 themes, 40 subthemes, 2 periods, 500 projects, ~1.2 placements per entry).
2. Builds the shipped definition "zoomi-2020" (no selection: the whole catalog) as a PDF --runs
   times per database, each run in a fresh process, so the peak RSS (ru_maxrss) is that run's own.
   Each run reports: context build, PDF render, total (wall clock), CPU time of all processes, peak
   RSS of the main process and of the PDF worker processes (a report above
   REPORT_PDF_SINGLE_PASS_MAX entries is laid out in parts in parallel). One more run per database
   traces the main process's Python allocations (tracemalloc peak; slower, so it is not timed).
   Every run is made twice, alternating: tagged PDF/UA-1 (what the bank ships) and the same
   pipeline writing untagged PDF (the baseline), so the cost of tagging is measured under the same load.
3. Prints medians side by side with the goals (Zoomi < 5 s, 10,000 entries < 60 s); the goals apply
   to the tagged PDF.
"""

import argparse
import datetime
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
GOALS = {"zoomi": 5.0, "synthetic": 60.0}


def _env(db_path: Path, media: Path) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"sqlite:///{db_path}",
        DEBUG="false",
        SECRET_KEY="bench-only-key-" + "x" * 40,
        MEDIA_ROOT=str(media),
        LOG_LEVEL="ERROR",
        DJANGO_SETTINGS_MODULE="config.settings",
        PYTHONPATH=str(ROOT),
    )
    return env


def _django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


# ---------------------------------------------------------------------------------------------
# Child processes
# ---------------------------------------------------------------------------------------------


def child_setup_synthetic(entries: int) -> None:
    """Fill a migrated database with a synthetic published catalog (bulk inserts, ~1.2 placements each)."""
    _django()
    import random

    from django.db import transaction
    from django.utils import timezone

    from methodbank.catalog.models import (
        Organisation,
        Period,
        Placement,
        Practice,
        PracticeKind,
        Project,
        ProjectScope,
        Subtheme,
        Theme,
    )

    rng = random.Random(2020)
    words = ("ohjaus siirtymä opiskelija työelämä hakeutuminen tuki malli käytäntö verkosto polku "
             "osaaminen oppilaitos nuori aikuinen yhteistyö valmennus arviointi digitaalinen").split()

    def sentence(n):
        return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."

    now = timezone.now()
    with transaction.atomic():
        themes = []
        for code in "ABCD":
            theme, _ = Theme.objects.get_or_create(code=code, defaults={"name": f"Teema {code}", "slug": f"teema-{code.lower()}"})
            themes.append(theme)
        subthemes = Subtheme.objects.bulk_create(
            [Subtheme(theme=themes[i % 4], name=f"Osateema {i}", slug=f"osateema-{i}", position=i,
                      description=sentence(40)) for i in range(40)]
        )
        periods = [
            Period.objects.create(code="p-new", name="Uusi kausi", starts_on=datetime.date(2019, 5, 1),
                                  ends_on=datetime.date(2021, 12, 31)),
            Period.objects.create(code="p-old", name="Vanha kausi", starts_on=datetime.date(2015, 8, 1),
                                  ends_on=datetime.date(2019, 4, 30)),
        ]
        orgs = Organisation.objects.bulk_create([Organisation(name=f"Organisaatio {i}", slug=f"org-{i}") for i in range(200)])
        projects = Project.objects.bulk_create(
            [Project(name=f"Hanke {i}", slug=f"hanke-{i}", lead=orgs[i % 200], ends_on=datetime.date(2016 + i % 6, 1 + i % 12, 1),
                     scope=[ProjectScope.NATIONAL, ProjectScope.REGIONAL][i % 2], description=sentence(60),
                     status="published", published_at=now) for i in range(500)]
        )
        Project.themes.through.objects.bulk_create(
            [Project.themes.through(project_id=p.pk, theme_id=themes[i % 4].pk) for i, p in enumerate(projects)]
        )
        practices = Practice.objects.bulk_create(
            [Practice(kind=PracticeKind.MODEL if i % 10 == 0 else PracticeKind.GOOD_PRACTICE,
                      title=f"Käytäntö {i}: {sentence(5)}", slug=f"kaytanto-{i}", project=projects[i % 500],
                      summary=sentence(45), status="published", published_at=now) for i in range(entries)],
            batch_size=2000,
        )
        placements = []
        for i, practice in enumerate(practices):
            sub = subthemes[i % 40]
            placements.append(Placement(practice=practice, theme_id=sub.theme_id, subtheme=sub, period=periods[i % 2], position=i))
            if i % 5 == 0:
                other = subthemes[(i * 7 + 3) % 40]
                placements.append(Placement(practice=practice, theme_id=other.theme_id, subtheme=other, period=periods[0], position=i))
        Placement.objects.bulk_create(placements, batch_size=5000)
    print(json.dumps({"entries": len(practices), "placements": len(placements)}))


def child_measure(trace: bool, untagged: bool = False) -> None:
    if trace:
        import tracemalloc

        tracemalloc.start()
    _django()
    if untagged:
        # The baseline: the same pipeline writing plain, untagged PDF (no structure tree).
        from methodbank.core import pdf as tagged_pdf

        tagged_pdf.PDF_VARIANT = None
    from methodbank.reports.builder import build_report_context
    from methodbank.reports.models import ReportDefinition
    from methodbank.reports.renderers import render_report

    definition = ReportDefinition.objects.get(slug="zoomi-2020")
    start = time.perf_counter()
    context = build_report_context(definition)
    built = time.perf_counter()
    pdf = render_report(context, "pdf")
    done = time.perf_counter()
    result = {
        "entries": len(context["entries"]),
        "build_s": built - start,
        "render_s": done - built,
        "total_s": done - start,
        "pdf_bytes": len(pdf),
        "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        # A large report is laid out in parallel worker processes: their largest peak, and all CPU time.
        "children_maxrss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "cpu_s": sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
                     for f in ("ru_utime", "ru_stime")),
    }
    import io

    from pypdf import PdfReader

    result["pages"] = len(PdfReader(io.BytesIO(pdf)).pages)
    if trace:
        import tracemalloc

        result["tracemalloc_peak_mb"] = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    print(json.dumps(result))


# ---------------------------------------------------------------------------------------------
# Parent
# ---------------------------------------------------------------------------------------------


def _run(args, env, *, capture=True):
    proc = subprocess.run([PY, __file__, *args], env=env, cwd=ROOT, capture_output=capture, text=True)
    if proc.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return proc.stdout


def _manage(env, *args):
    proc = subprocess.run([PY, "manage.py", *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{proc.stderr[-3000:]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--keep", help="keep the databases in this directory")
    parser.add_argument("--trace", choices=["all", "zoomi", "none"], default="all",
                        help="which catalogs get the extra tracemalloc run (default: all)")
    parser.add_argument("--only", choices=["zoomi", "synthetic"], help="measure one catalog only")
    parser.add_argument("--child", choices=["synthetic", "measure", "measure-untagged", "trace"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "synthetic":
        return child_setup_synthetic(args.entries)
    if args.child in ("measure", "measure-untagged", "trace"):
        return child_measure(args.child == "trace", untagged=args.child == "measure-untagged")

    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="report-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    names = [args.only] if args.only else ["zoomi", "synthetic"]
    envs = {name: _env(workdir / f"{name}.sqlite3", workdir / "media") for name in names}
    for name, env in envs.items():
        Path(env["DATABASE_URL"].removeprefix("sqlite:///")).unlink(missing_ok=True)
        print(f"[{name}] migrating …", flush=True)
        _manage(env, "migrate", "-v0")
    if "zoomi" in envs:
        print("[zoomi] importing the seed …", flush=True)
        _manage(envs["zoomi"], "import_report", "data/zoomi-2020/report.txt", "-v0")
    if "synthetic" in envs:
        print(f"[synthetic] generating {args.entries:,} entries …", flush=True)
        print("           ", _run(["--child", "synthetic", "--entries", str(args.entries)], envs["synthetic"]).strip())

    results = {}
    for name, env in envs.items():
        runs, plain = [], []
        for i in range(args.runs):
            # Tagged (PDF/UA-1, what the bank ships) and untagged (the baseline) alternate, same load.
            plain.append(json.loads(_run(["--child", "measure-untagged"], env)))
            runs.append(json.loads(_run(["--child", "measure"], env)))
            print(f"[{name}] run {i + 1}: tagged {runs[-1]['total_s']:.2f} s, untagged {plain[-1]['total_s']:.2f} s, "
                  f"peak RSS {runs[-1]['maxrss_mb']:.0f} MB", flush=True)
        traced = args.trace == "all" or args.trace == name
        trace = json.loads(_run(["--child", "trace"], env)) if traced else {"tracemalloc_peak_mb": float("nan")}
        results[name] = {
            "entries": runs[0]["entries"],
            "pages": runs[0]["pages"],
            "pdf_mb": runs[0]["pdf_bytes"] / 1e6,
            **{k: statistics.median(r[k] for r in runs)
               for k in ("build_s", "render_s", "total_s", "cpu_s", "maxrss_mb", "children_maxrss_mb")},
            "tracemalloc_peak_mb": trace["tracemalloc_peak_mb"],
            "untagged_total_s": statistics.median(r["total_s"] for r in plain),
            "untagged_render_s": statistics.median(r["render_s"] for r in plain),
            "untagged_pdf_mb": plain[0]["pdf_bytes"] / 1e6,
            "untagged_cpu_s": statistics.median(r["cpu_s"] for r in plain),
        }

    missing = dict.fromkeys(next(iter(results.values())), float("nan"))
    z, s = results.get("zoomi", missing), results.get("synthetic", missing)
    rows = [
        ("entries in the report", f"{z['entries']:,}", f"{s['entries']:,}"),
        ("PDF pages", f"{z['pages']:,}", f"{s['pages']:,}"),
        ("PDF size (MB)", f"{z['pdf_mb']:.2f}", f"{s['pdf_mb']:.2f}"),
        ("context build, median (s)", f"{z['build_s']:.2f}", f"{s['build_s']:.2f}"),
        ("PDF render, median (s)", f"{z['render_s']:.2f}", f"{s['render_s']:.2f}"),
        ("total, median (s)", f"{z['total_s']:.2f}", f"{s['total_s']:.2f}"),
        ("untagged PDF render, median (s)", f"{z['untagged_render_s']:.2f}", f"{s['untagged_render_s']:.2f}"),
        ("untagged total, median (s)", f"{z['untagged_total_s']:.2f}", f"{s['untagged_total_s']:.2f}"),
        ("tagged / untagged total", f"{z['total_s'] / z['untagged_total_s']:.2f}",
         f"{s['total_s'] / s['untagged_total_s']:.2f}"),
        ("untagged CPU time (s)", f"{z['untagged_cpu_s']:.2f}", f"{s['untagged_cpu_s']:.2f}"),
        ("tagged / untagged CPU", f"{z['cpu_s'] / z['untagged_cpu_s']:.2f}", f"{s['cpu_s'] / s['untagged_cpu_s']:.2f}"),
        ("untagged PDF size (MB)", f"{z['untagged_pdf_mb']:.2f}", f"{s['untagged_pdf_mb']:.2f}"),
        ("CPU time, all processes (s)", f"{z['cpu_s']:.2f}", f"{s['cpu_s']:.2f}"),
        ("goal (s)", f"< {GOALS['zoomi']:.0f}", f"< {GOALS['synthetic']:.0f}"),
        ("meets the goal", *(
            "–" if r["total_s"] != r["total_s"] else ("yes" if r["total_s"] < GOALS[n] else "NO")
            for n, r in (("zoomi", z), ("synthetic", s))
        )),
        ("peak RSS, median (MB)", f"{z['maxrss_mb']:.0f}", f"{s['maxrss_mb']:.0f}"),
        ("peak RSS, PDF workers (MB)", f"{z['children_maxrss_mb']:.0f}", f"{s['children_maxrss_mb']:.0f}"),
        ("tracemalloc peak, main (MB)", f"{z['tracemalloc_peak_mb']:.0f}", f"{s['tracemalloc_peak_mb']:.0f}"),
    ]
    print()
    print(f"Report build as tagged PDF/UA-1 beside the untagged baseline, medians of {args.runs} runs (SQLite, one process per run; "
          f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end)")
    print(f"{'':28} {'Zoomi 2020 seed':>16} {'synthetic':>16}")
    for label, a, b in rows:
        print(f"{label:28} {a:>16} {b:>16}")
    if not args.keep:
        print(f"\n(databases in {workdir}; removed)")
        import shutil

        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
