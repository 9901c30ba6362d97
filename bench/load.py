"""Throughput and p95 latency of the bank versus nginx serving the same pages as static files.

Usage: bench/load [--duration 10] [--connections 50] [--runs 3] [--workers 4]

1. Creates the PostgreSQL database mb_load, migrates it and imports the Zoomi 2020 catalog.
2. Starts gunicorn (DEBUG=false, Redis cache) on 127.0.0.1:8100.
3. Saves the front page, a theme page, an entry page and a search as static files and serves them
   with nginx on 127.0.0.1:8101.
4. Runs wrk against both, URL by URL, alternating servers run by run, and prints medians side by
   side with the ratio bank/nginx. Goal: the bank reaches at least 25 % of nginx's throughput with
   zero errors.
Only loopback addresses are used; every wrk run is bounded by --duration.
"""

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
APP_PORT, NGINX_PORT = 8100, 8101
DB = "mb_load"

WRK_LUA = r"""
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                 + summary.errors.status + summary.errors.timeout
  io.write(string.format('{"requests": %d, "duration_us": %d, "errors": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, errors, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def env_for_app():
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DB}",
        CACHE_URL="redis://127.0.0.1:6379/3",
        DEBUG="false",
        SECRET_KEY="bench-only-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        LOG_LEVEL="ERROR",
    )
    return env


def prepare_database(env):
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {DB}"], check=True)
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {DB}"], check=True)
    subprocess.run([PY, "manage.py", "migrate", "-v0", "--noinput"], cwd=ROOT, env=env, check=True)
    subprocess.run([PY, "manage.py", "import_report", "data/zoomi-2020/report.txt", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(["redis-cli", "-n", "3", "FLUSHDB"], check=False, capture_output=True)


def pick_urls(env):
    code = (
        "from methodbank.catalog.models import Practice, Theme;"
        "p = Practice.objects.filter(status='published').order_by('id')[len(Practice.objects.all())//2];"
        "t = Theme.objects.order_by('code')[1];"
        "print(p.get_absolute_url()); print(t.get_absolute_url())"
    )
    out = subprocess.run([PY, "manage.py", "shell", "-v", "0", "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    entry, theme = out[-2], out[-1]
    return {"front page": "/fi/", "theme page": theme, "entry page": entry,
            "search": "/fi/haku/?q=opinto-ohjaajalle"}


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer in {timeout} s")


def start_gunicorn(env, workers):
    cmd = [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "-b", f"127.0.0.1:{APP_PORT}",
           "-w", str(workers), "--threads", "2", "-k", "gthread", "--log-level", "error", "--backlog", "512"]
    return subprocess.Popen(cmd, cwd=ROOT, env=env)


def start_nginx(docroot: Path, workdir: Path):
    conf = workdir / "nginx.conf"
    conf.write_text(f"""
worker_processes auto;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  types {{ text/html html; }}
  server {{
    listen 127.0.0.1:{NGINX_PORT};
    root {docroot};
    location / {{ try_files $uri $uri/index.html =404; }}
  }}
}}
""")
    subprocess.run(["nginx", "-c", str(conf), "-p", str(workdir)], check=True)
    return conf


def save_pages(urls, docroot: Path):
    static_urls = {}
    for i, (name, url) in enumerate(urls.items()):
        with urllib.request.urlopen(f"http://127.0.0.1:{APP_PORT}{url}") as r:
            body = r.read()
        fname = f"page{i}.html"
        (docroot / fname).write_bytes(body)
        (docroot / fname).chmod(0o644)
        static_urls[name] = f"/{fname}"
    return static_urls


def wrk(url, duration, connections, lua):
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s", lua, url],
                         capture_output=True, text=True, check=True).stdout
    data = json.loads(out.strip().splitlines()[-1])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--skip-setup", action="store_true")
    args = ap.parse_args()

    env = env_for_app()
    if not args.skip_setup:
        prepare_database(env)
    urls = pick_urls(env)
    work = Path(tempfile.mkdtemp(prefix="mb-load-"))
    docroot = work / "www"
    docroot.mkdir()
    # nginx workers run as an unprivileged user: they must be able to read the pages.
    work.chmod(0o755)
    docroot.chmod(0o755)
    lua = work / "report.lua"
    lua.write_text(WRK_LUA)
    app = start_gunicorn(env, args.workers)
    nginx_conf = None
    try:
        wait_for(f"http://127.0.0.1:{APP_PORT}/fi/")
        static_urls = save_pages(urls, docroot)
        nginx_conf = start_nginx(docroot, work)
        wait_for(f"http://127.0.0.1:{NGINX_PORT}/page0.html")
        results = {name: {"app": [], "nginx": []} for name in urls}
        for run in range(args.runs):
            for name in urls:
                # Warm the cache once, then alternate which server goes first so drift hits both.
                if run == 0:
                    urllib.request.urlopen(f"http://127.0.0.1:{APP_PORT}{urls[name]}").read()
                order = ["app", "nginx"] if run % 2 == 0 else ["nginx", "app"]
                for which in order:
                    base = APP_PORT if which == "app" else NGINX_PORT
                    path = urls[name] if which == "app" else static_urls[name]
                    results[name][which].append(wrk(f"http://127.0.0.1:{base}{path}", args.duration,
                                                    args.connections, str(lua)))
        print(f"\nLoad: {args.connections} connections, {args.duration} s x {args.runs} runs per URL, "
              f"gunicorn {args.workers} workers x 2 threads, PostgreSQL + Redis; medians")
        header = f"{'page':<12} {'bank req/s':>11} {'nginx req/s':>12} {'ratio':>7} {'bank p95 ms':>12} {'nginx p95 ms':>13} {'bank errors':>12}"
        print(header)
        print("-" * len(header))
        ratios, total_errors = [], 0
        for name, r in results.items():
            app_rps = statistics.median(x["rps"] for x in r["app"])
            ngx_rps = statistics.median(x["rps"] for x in r["nginx"])
            app_p95 = statistics.median(x["p95_us"] for x in r["app"]) / 1000
            ngx_p95 = statistics.median(x["p95_us"] for x in r["nginx"]) / 1000
            errors = sum(x["errors"] for x in r["app"])
            total_errors += errors
            ratios.append(app_rps / ngx_rps)
            print(f"{name:<12} {app_rps:>11.0f} {ngx_rps:>12.0f} {app_rps / ngx_rps:>6.1%} {app_p95:>12.1f} {ngx_p95:>13.1f} {errors:>12}")
        print(f"\nmedian ratio bank/nginx: {statistics.median(ratios):.1%} (goal >= 25 %); bank errors: {total_errors}")
    finally:
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=30)
        if nginx_conf:
            subprocess.run(["nginx", "-c", str(nginx_conf), "-p", str(work), "-s", "stop"], check=False)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
