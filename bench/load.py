"""Throughput and p95 latency of the bank versus nginx serving the same pages as static files.

Usage: bench/load [--duration 10] [--connections 50] [--runs 3] [--workers 4] [--uncached-search-only]

1. Creates the PostgreSQL database mb_load, migrates it and imports the Zoomi 2020 catalog.
2. Starts gunicorn (DEBUG=false, Redis cache, EDGE_CACHE_SECONDS=5) on 127.0.0.1:8100.
3. Starts one nginx with two servers:
   - 127.0.0.1:8101 serves the front page, a theme page, an entry page and a search, saved from the
     bank as static files (the baseline);
   - 127.0.0.1:8102 is the production path of docs/deployment.md: nginx in front of gunicorn with
     the page microcache of deploy/nginx/proxy-cache.conf, included unchanged.
4. Runs wrk against the three, URL by URL, rotating the order run by run, and prints medians side
   by side with the ratios. Goal: at least 25 % of nginx's static throughput with zero errors.
5. Then the worst case, which no cache can help: a search whose URL is new on every request
   (a counter in the query string), on gunicorn directly and through nginx. With
   --uncached-search-only the run measures this alone (steps 4, 6 and 7 are skipped).
6. Scale-out in the same run: a second gunicorn with the same environment and worker count on
   127.0.0.1:8103 and a second nginx on 127.0.0.1:8104 whose upstream holds both servers (the
   multi-server layout of docs/deployment.md, proxy-cache.conf unchanged). The uncached search and
   the front page are measured through nginx with one and with two app servers, and the ratio is
   printed. Two servers on one 2-core machine share the same two cores: the ratio shows what a
   second machine would add only where the cores are not already busy (see bench/load-results.md).
7. Usage counting (methodbank/usage/): the entry page on a second gunicorn with USAGE_COUNTING=false
   against the first (counting on), same run, alternating order: requests/s, p50 and the p50
   difference in ms. Every wrk request sends a browser's User-Agent, so the entry page is counted
   (a request without one is taken for a robot). Then the hits are flushed and the entry's count is
   printed beside the requests wrk completed on the counting server.
Only loopback addresses are used; every wrk run is bounded by --duration. BENCH_LOAD_PORT moves the
ports (default 8100..8105) and BENCH_LOAD_REDIS_DB the Redis database (default 3) when another run
uses them.
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
PORT_BASE = int(os.environ.get("BENCH_LOAD_PORT", "8100"))
APP_PORT, NGINX_PORT, PROXY_PORT = PORT_BASE, PORT_BASE + 1, PORT_BASE + 2
APP2_PORT, PROXY2_PORT = PORT_BASE + 3, PORT_BASE + 4
APP_UNCOUNTED_PORT = PORT_BASE + 5
# A browser's user agent: the bank does not count requests without one (robots), see methodbank/usage.
BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
EDGE_CACHE_SECONDS = 5
DB = os.environ.get("BENCH_LOAD_DB", "mb_load")
REDIS_DB = os.environ.get("BENCH_LOAD_REDIS_DB", "3")

WRK_LUA = r"""
-- A unique URL per request when the script is given the argument "unique".
local counter, unique = 0, false
init = function(args) unique = args[1] == "unique" end
request = function()
  if unique then
    counter = counter + 1
    return wrk.format(nil, wrk.path .. "&n=" .. counter .. "-" .. math.random(1e9))
  end
  return wrk.format(nil, wrk.path)
end
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
        CACHE_URL=f"redis://127.0.0.1:6379/{REDIS_DB}",
        DEBUG="false",
        SECRET_KEY="bench-only-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        LOG_LEVEL="ERROR",
        EDGE_CACHE_SECONDS=str(EDGE_CACHE_SECONDS),
    )
    return env


def prepare_database(env):
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {DB}"], check=True)
    subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {DB}"], check=True)
    subprocess.run([PY, "manage.py", "migrate", "-v0", "--noinput"], cwd=ROOT, env=env, check=True)
    subprocess.run([PY, "manage.py", "import_report", "data/zoomi-2020/report.txt", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(["redis-cli", "-n", REDIS_DB, "FLUSHDB"], check=False, capture_output=True)


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


# Threads per gunicorn worker (--threads): docs/deployment.md's 2 unless a run compares another.
THREADS = 2


def start_gunicorn(env, workers, port=APP_PORT, control_socket=None):
    cmd = [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "-b", f"127.0.0.1:{port}",
           "-w", str(workers), "--threads", str(THREADS), "-k", "gthread", "--log-level", "error", "--backlog", "512"]
    import gunicorn

    if control_socket and gunicorn.version_info >= (27,):
        # Two servers must not share gunicorn's default control socket (~/.gunicorn/gunicorn.ctl).
        cmd += ["--control-socket", str(control_socket)]
    return subprocess.Popen(cmd, cwd=ROOT, env=env)


def start_nginx_two_servers(workdir: Path):
    """A second nginx whose upstream holds both app servers; proxy-cache.conf included unchanged."""
    workdir.mkdir(mode=0o777)
    (workdir / "cache").mkdir(mode=0o777)
    # nginx's workers run as an unprivileged user: they write the cache.
    workdir.chmod(0o777)
    (workdir / "cache").chmod(0o777)
    conf = workdir / "nginx.conf"
    conf.write_text(f"""
worker_processes auto;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  upstream menetelmapankki {{ server 127.0.0.1:{APP_PORT}; server 127.0.0.1:{APP2_PORT}; keepalive 32; }}
  proxy_cache_path {workdir}/cache levels=1:2 keys_zone=menetelmapankki_pages:10m max_size=64m
                   inactive=10m use_temp_path=off;
  server {{
    listen 127.0.0.1:{PROXY2_PORT};
    location / {{ include {ROOT}/deploy/nginx/proxy-cache.conf; }}
  }}
}}
""")
    subprocess.run(["nginx", "-c", str(conf), "-p", str(workdir)], check=True)
    return conf


def start_nginx(docroot: Path, workdir: Path):
    conf = workdir / "nginx.conf"
    (workdir / "cache").mkdir()
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
  upstream menetelmapankki {{ server 127.0.0.1:{APP_PORT}; keepalive 32; }}
  proxy_cache_path {workdir}/cache levels=1:2 keys_zone=menetelmapankki_pages:10m max_size=64m
                   inactive=10m use_temp_path=off;
  server {{
    listen 127.0.0.1:{PROXY_PORT};
    location / {{ include {ROOT}/deploy/nginx/proxy-cache.conf; }}
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


def _tree_cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children (gunicorn's master and workers)."""
    ticks = os.sysconf("SC_CLK_TCK")
    pids = [pid] + [int(p) for p in subprocess.run(["ps", "--ppid", str(pid), "-o", "pid="], capture_output=True,
                                                    text=True).stdout.split()]
    total = 0
    for number in pids:
        try:
            fields = Path(f"/proc/{number}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def wrk(url, duration, connections, lua, *script_args):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-H", f"User-Agent: {BROWSER_UA}",
           "-s", lua, url]
    if script_args:
        cmd += ["--", *script_args]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    data = json.loads(out.strip().splitlines()[-1])
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


def _row(name, r, targets):
    rps = {t: statistics.median(x["rps"] for x in r[t]) for t in targets}
    p95 = {t: statistics.median(x["p95_us"] for x in r[t]) / 1000 for t in targets}
    errors = {t: sum(x["errors"] for x in r[t]) for t in targets}
    return rps, p95, errors


def _entry_count(env, url) -> int:
    code = (
        "from methodbank.usage.models import MonthlyUsage; from methodbank.catalog.models import Practice;"
        f"p = Practice.objects.get(slug={url.rstrip('/').rsplit('/', 1)[-1]!r});"
        "print(sum(MonthlyUsage.objects.filter(practice=p, kind='view').values_list('count', flat=True)))"
    )
    subprocess.run([PY, "manage.py", "flush_usage"], cwd=ROOT, env=env, check=True, capture_output=True)
    out = subprocess.run([PY, "manage.py", "shell", "-v", "0", "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout.split()
    return int(out[-1])


def usage_section(env, args, lua, work, entry):
    """The cached entry page with usage counting on (the first server) and off (a second one)."""
    uncounted = start_gunicorn(dict(env, USAGE_COUNTING="false"), args.workers, port=APP_UNCOUNTED_PORT,
                               control_socket=work / "uncounted.ctl")
    try:
        wait_for(f"http://127.0.0.1:{APP_UNCOUNTED_PORT}{entry}")
        before = _entry_count(env, entry)
        results = {"counting on": [], "counting off": []}
        ports = (("counting on", APP_PORT), ("counting off", APP_UNCOUNTED_PORT))
        for run in range(args.runs):
            for which, port in ports[:: 1 if run % 2 == 0 else -1]:
                results[which].append(wrk(f"http://127.0.0.1:{port}{entry}", args.duration, args.connections,
                                          str(lua)))
        counted = _entry_count(env, entry) - before
    except BaseException:
        uncounted.terminate()
        uncounted.wait(timeout=30)
        raise
    completed = sum(r["requests"] for r in results["counting on"])
    rps = {w: statistics.median(x["rps"] for x in r) for w, r in results.items()}
    p50 = {w: statistics.median(x["p50_us"] for x in r) / 1000 for w, r in results.items()}
    errors = sum(x["errors"] for r in results.values() for x in r)
    print(f"\nUsage counting, cached entry page on gunicorn ({args.connections} connections, medians of {args.runs}):")
    print(f"{'':<14} {'req/s':>8} {'p50 ms':>8}")
    for which in results:
        print(f"{which:<14} {rps[which]:>8.0f} {p50[which]:>8.2f}")
    print(f"ratio on/off {rps['counting on'] / rps['counting off']:.3f}; p50 difference "
          f"{p50['counting on'] - p50['counting off']:+.2f} ms; errors {errors} "
          "(bench/usage_bench.py measures the middleware's own cost per request)")
    print(f"counted {counted} views of {completed} requests wrk completed on the counting server "
          "(requests still in flight when wrk stops are counted by the server but not by wrk)")
    return uncounted, errors


def main():
    global THREADS
    ap = argparse.ArgumentParser()
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workers", type=int, default=4)
    ap.add_argument("--threads", type=int, default=THREADS, help="threads per gunicorn worker (default 2)")
    ap.add_argument("--skip-setup", action="store_true")
    ap.add_argument("--uncached-search-only", action="store_true",
                    help="only the worst case: a search whose URL is new on every request (step 5)")
    args = ap.parse_args()
    THREADS = args.threads

    env = env_for_app()
    if not args.skip_setup:
        prepare_database(env)
    urls = pick_urls(env)
    work = Path(tempfile.mkdtemp(prefix="mb-load-"))
    docroot = work / "www"
    docroot.mkdir()
    # nginx workers run as an unprivileged user: they must be able to read the pages and the cache.
    work.chmod(0o777)
    docroot.chmod(0o755)
    lua = work / "report.lua"
    lua.write_text(WRK_LUA)
    # Two servers x workers processes share Redis: the bank refuses a process-local cache then.
    env["WEB_CONCURRENCY"] = str(2 * args.workers)
    app = start_gunicorn(env, args.workers, control_socket=work / "app1.ctl")
    app2 = uncounted = None
    nginx_conf = nginx2_conf = None
    targets = ["gunicorn", "nginx+gunicorn", "nginx static"]
    try:
        wait_for(f"http://127.0.0.1:{APP_PORT}/fi/")
        static_urls = save_pages(urls, docroot)
        nginx_conf = start_nginx(docroot, work)
        wait_for(f"http://127.0.0.1:{NGINX_PORT}/page0.html")
        wait_for(f"http://127.0.0.1:{PROXY_PORT}/fi/")
        address = {
            "gunicorn": lambda name: f"http://127.0.0.1:{APP_PORT}{urls[name]}",
            "nginx+gunicorn": lambda name: f"http://127.0.0.1:{PROXY_PORT}{urls[name]}",
            "nginx static": lambda name: f"http://127.0.0.1:{NGINX_PORT}{static_urls[name]}",
        }
        for name in urls:  # the same bytes, whichever way they are served
            with urllib.request.urlopen(address["nginx+gunicorn"](name)) as r:
                assert r.status == 200 and r.headers.get("X-Accel-Expires") is None, name
        results = {name: {t: [] for t in targets} for name in urls}
        for run in range(0 if args.uncached_search_only else args.runs):
            for name in urls:
                order = targets[run % 3:] + targets[:run % 3]  # drift hits every server alike
                for which in order:
                    results[name][which].append(wrk(address[which](name), args.duration, args.connections, str(lua)))

        # No cache can help: every request is a search the bank has not seen.
        search = urls["search"]
        if args.uncached_search_only:
            # Nothing has warmed the workers yet (their first searches load Voikko and the vocabulary):
            # a few unmeasured seconds, so that the first run does not measure the start.
            wrk(f"http://127.0.0.1:{APP_PORT}{search}", 5, args.connections, str(lua), "unique")
        unique = {"gunicorn": [], "nginx+gunicorn": []}
        for run in range(args.runs):
            for which, port in (("gunicorn", APP_PORT), ("nginx+gunicorn", PROXY_PORT))[:: 1 if run % 2 == 0 else -1]:
                cpu_before = _tree_cpu_seconds(app.pid)
                unique[which].append(wrk(f"http://127.0.0.1:{port}{search}", args.duration, args.connections,
                                         str(lua), "unique"))
                # The app server's own CPU time per request: on a shared machine the comparable figure.
                unique[which][-1]["cpu_ms"] = (
                    (_tree_cpu_seconds(app.pid) - cpu_before) * 1000 / max(unique[which][-1]["requests"], 1)
                )

        print(f"\nLoad: {args.connections} connections, {args.duration} s x {args.runs} runs per URL and server, "
              f"gunicorn {args.workers} workers x {THREADS} threads, PostgreSQL + Redis, nginx page cache "
              f"{EDGE_CACHE_SECONDS} s; medians; load average {os.getloadavg()[0]:.1f}")
        header = (f"{'page':<12} {'gunicorn':>9} {'nginx+gunicorn':>15} {'nginx static':>13} "
                  f"{'ratio direct':>13} {'ratio prod':>11} {'p95 ms g/n+g/n':>18} {'errors':>7}")
        print(header)
        print("-" * len(header))
        direct_ratios, prod_ratios, total_errors = [], [], 0
        for name, r in results.items() if not args.uncached_search_only else ():
            rps, p95, errors = _row(name, r, targets)
            direct = rps["gunicorn"] / rps["nginx static"]
            prod = rps["nginx+gunicorn"] / rps["nginx static"]
            direct_ratios.append(direct)
            prod_ratios.append(prod)
            bank_errors = errors["gunicorn"] + errors["nginx+gunicorn"]
            total_errors += bank_errors
            latency = f"{p95['gunicorn']:.1f}/{p95['nginx+gunicorn']:.1f}/{p95['nginx static']:.1f}"
            print(f"{name:<12} {rps['gunicorn']:>9.0f} {rps['nginx+gunicorn']:>15.0f} {rps['nginx static']:>13.0f} "
                  f"{direct:>12.1%} {prod:>11.1%} {latency:>18} {bank_errors:>7}")
        rps, p95, errors = _row("unique", unique, ["gunicorn", "nginx+gunicorn"])
        total_errors += sum(errors.values())
        print(f"{'search, new URL every request (no cache):':<44} gunicorn {rps['gunicorn']:.0f} req/s "
              f"(p95 {p95['gunicorn']:.1f} ms), nginx+gunicorn {rps['nginx+gunicorn']:.0f} req/s "
              f"(p95 {p95['nginx+gunicorn']:.1f} ms), errors {sum(errors.values())}")
        if args.uncached_search_only:
            print(f"load average at the end {os.getloadavg()[0]:.1f}; per run req/s (p95 ms, gunicorn CPU ms per "
                  "request): " + "; ".join(
                      f"{which} " + ", ".join(
                          f"{x['rps']:.0f} ({x['p95_us'] / 1000:.0f}, {x['cpu_ms']:.1f})" for x in runs)
                      for which, runs in unique.items()))
            print("gunicorn CPU ms per request, median: " + ", ".join(
                f"{which} {statistics.median(x['cpu_ms'] for x in runs):.1f}" for which, runs in unique.items()))
            return 1 if total_errors else 0
        print(f"\nmedian ratio to nginx static: production path (nginx+gunicorn) {statistics.median(prod_ratios):.1%}, "
              f"gunicorn alone {statistics.median(direct_ratios):.1%} (goal >= 25 %); bank errors: {total_errors}")

        # Scale-out: one app server behind nginx against two, same run, same worker count each.
        app2 = start_gunicorn(env, args.workers, port=APP2_PORT, control_socket=work / "app2.ctl")
        wait_for(f"http://127.0.0.1:{APP2_PORT}/fi/")
        nginx2_conf = start_nginx_two_servers(work / "two")
        wait_for(f"http://127.0.0.1:{PROXY2_PORT}/fi/")
        scale = {"one server": {"search": [], "front": []}, "two servers": {"search": [], "front": []}}
        ports = (("one server", PROXY_PORT), ("two servers", PROXY2_PORT))
        for run in range(args.runs):
            for which, port in ports[:: 1 if run % 2 == 0 else -1]:
                scale[which]["search"].append(wrk(f"http://127.0.0.1:{port}{search}", args.duration,
                                                  args.connections, str(lua), "unique"))
                scale[which]["front"].append(wrk(f"http://127.0.0.1:{port}/fi/", args.duration,
                                                 args.connections, str(lua)))
        print(f"\nScale-out through nginx, {args.workers} workers x {THREADS} threads per app server, "
              f"{os.cpu_count()} CPU cores on this machine:")
        print(f"{'page':<36} {'one server':>11} {'two servers':>12} {'ratio':>7} {'p95 ms 1/2':>12} {'errors':>7}")
        for label, key in (("search, new URL every request", "search"), ("front page (nginx page cache)", "front")):
            rps, p95, errors = _row(key, {w: scale[w][key] for w in scale}, list(scale))
            total_errors += sum(errors.values())
            print(f"{label:<36} {rps['one server']:>11.0f} {rps['two servers']:>12.0f} "
                  f"{rps['two servers'] / rps['one server']:>6.2f}x "
                  f"{p95['one server']:>5.1f}/{p95['two servers']:<6.1f} {sum(errors.values()):>7}")
        print(f"Both app servers run on the same {os.cpu_count()} cores as nginx, PostgreSQL, Redis and wrk: "
              "a second server adds processes, not CPU, so here the cores cap the gain; on separate "
              "machines each server brings its own cores.")
        app2.send_signal(signal.SIGTERM)
        app2.wait(timeout=30)
        app2 = None
        uncounted, errors = usage_section(env, args, lua, work, urls["entry page"])
        total_errors += errors
        return 1 if total_errors else 0
    finally:
        for proc in (app, app2, uncounted):
            if proc is not None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
        if nginx_conf:
            subprocess.run(["nginx", "-c", str(nginx_conf), "-p", str(work), "-s", "stop"], check=False)
        if nginx2_conf:
            subprocess.run(["nginx", "-c", str(nginx2_conf), "-p", str(work / "two"), "-s", "stop"], check=False)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
