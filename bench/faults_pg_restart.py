"""Fault drill: PostgreSQL restarts in the middle of a write load. Nothing acknowledged may be lost,
and the errors while it is down must be friendly (problem+json from the API, 503.html on the site),
never a traceback.

Usage (as root, on the machine that runs PostgreSQL 15 "main"; not part of the test suite):
    .venv/bin/python bench/faults_pg_restart.py [--duration 20] [--writers 8] [--restart-at 7]

1. Creates the database mb_faults, migrates it, imports the Zoomi 2020 catalog and creates a
   contributor with a personal API token.
2. Starts gunicorn (DEBUG=false) on 127.0.0.1:8110.
3. Writers send POST /api/v1/me/entries (each creates a draft with a unique title) in a loop,
   resending a refused request with the same Idempotency-Key until it is acknowledged; one reader asks for site pages that need the database. At --restart-at seconds PostgreSQL is
   restarted once with `pg_ctlcluster --skip-systemctl-redirect 15 main restart`.
4. Afterwards every acknowledged (2xx) write is looked up in the database by title and id.
Prints: requests, acknowledged, lost (must be 0), stored twice (must be 0), errors by status and whether each error
response was friendly. Exits 1 when something acknowledged is lost or an error was not friendly.
Only loopback addresses are used.

Restarting the main cluster breaks everything else using it. To keep other work running, drill on a
throwaway cluster:
    pg_createcluster 15 drill -p 5433 -- --auth=trust && pg_ctlcluster 15 drill start
    .venv/bin/python bench/faults_pg_restart.py --cluster drill --port 5433
    pg_dropcluster 15 drill --stop
"""

import argparse
import collections
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
PORT = 8110
DB = "mb_faults"
# The cluster to restart; `--cluster drill --port 5433` uses a throwaway one (see the docstring).
PG = {"version": "15", "cluster": "main", "port": "5432"}
BASE = f"http://127.0.0.1:{PORT}"
TRACEBACK_MARKERS = ("Traceback", "OperationalError", "psycopg", "File \"")


def env_for_app():
    env = dict(os.environ)
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{PG['port']}/{DB}",
        CACHE_URL="locmemcache://faults",
        DEBUG="false",
        STATIC_MANIFEST="false",  # no collectstatic here: plain static names
        SECRET_KEY="faults-only-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        LOG_LEVEL="CRITICAL",
        API_THROTTLE_TOKEN_RATE="",
        OPEN_DATA_REBUILD_ON_PUBLISH="false",
        PUBLIC_PAGE_CACHE_SECONDS="0",
    )
    return env


def psql(sql, *, db="postgres"):
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", PG["port"], "-U", "postgres", "-d", db, "-Atqc", sql],
        check=True, capture_output=True, text=True,
    ).stdout


def prepare(env) -> str:
    psql(f"DROP DATABASE IF EXISTS {DB}")
    psql(f"CREATE DATABASE {DB}")
    subprocess.run([PY, "manage.py", "migrate", "-v0", "--noinput"], cwd=ROOT, env=env, check=True)
    subprocess.run([PY, "manage.py", "import_report", "data/zoomi-2020/report.txt", "-v0"], cwd=ROOT, env=env,
                   check=True)
    code = (
        "from django.contrib.auth import get_user_model;"
        "from methodbank.api.services import api_token_create;"
        "u = get_user_model().objects.create_user(username='faults', email='faults@example.org',"
        " password='faults-pw-12345');"
        "print(api_token_create(user=u, name='faults')[1])"
    )
    out = subprocess.run([PY, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    return out.strip().splitlines()[-1]


def wait_for(url, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer in {timeout} s")


def request(method, path, *, body=None, token=None, key=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(BASE + path, data=data, method=method)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    if key:
        req.add_header("Idempotency-Key", key)
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read().decode(errors="replace"), error.headers
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        return 0, "", f"connection error: {error}", {}


def friendly(status, content_type, text, *, api):
    if any(marker in text for marker in TRACEBACK_MARKERS):
        return False
    if api:
        return content_type.startswith("application/problem+json")
    return "<h1>" in text and content_type.startswith("text/html")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--restart-at", type=float, default=7.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--cluster", default="main", help="PostgreSQL 15 cluster to restart (default main)")
    parser.add_argument("--port", default="5432", help="its port")
    args = parser.parse_args()
    PG.update(cluster=args.cluster, port=args.port)
    if os.geteuid() != 0:
        raise SystemExit("Run as root: the drill restarts PostgreSQL with pg_ctlcluster.")

    env = env_for_app()
    print("Preparing mb_faults (migrate + import) ...", flush=True)
    token = prepare(env)
    app = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application", "-b", f"127.0.0.1:{PORT}",
         "-w", str(args.workers), "--threads", "2", "-k", "gthread", "--log-level", "error",
         "--timeout", "60"],
        cwd=ROOT, env=env,
    )
    writes, reads = [], []
    lock = threading.Lock()
    restart = {}
    try:
        wait_for(f"{BASE}/fi/")
        start = time.monotonic()
        stop = start + args.duration

        def writer(n):
            # Each draft is one logical write with its own Idempotency-Key, resent until it is
            # acknowledged (or the run ends): the way a careful client rides out a restart.
            i = 0
            while time.monotonic() < stop:
                title = f"fault-drill {n}-{i}"
                key = f"drill-{n}-{i}"
                attempts, status = 0, 0
                while time.monotonic() < stop + 30:
                    sent = time.monotonic() - start
                    status, ctype, text, headers = request("POST", "/api/v1/me/entries", token=token,
                                                           body={"kind": "good_practice", "title": title},
                                                           key=key)
                    attempts += 1
                    entry_id = json.loads(text)["id"] if 200 <= status < 300 else None
                    with lock:
                        writes.append({"title": title, "status": status, "id": entry_id, "at": sent,
                                       "attempt": attempts, "replayed": headers.get("Idempotent-Replayed") == "true",
                                       "friendly": 200 <= status < 300 or friendly(status, ctype, text, api=True),
                                       "text": text[:300]})
                    if 200 <= status < 300 or status in (400, 401, 403, 422):
                        break
                    time.sleep(0.2)
                i += 1

        def reader():
            i = 0
            while time.monotonic() < stop:
                sent = time.monotonic() - start
                status, ctype, text, _headers = request("GET", f"/fi/hankkeet/?sivu=1&n={i}")
                with lock:
                    reads.append({"status": status, "at": sent,
                                  "friendly": status == 200 or friendly(status, ctype, text, api=False),
                                  "text": text[:300]})
                i += 1
                time.sleep(0.05)

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(args.writers)]
        threads.append(threading.Thread(target=reader))
        for thread in threads:
            thread.start()
        time.sleep(max(0.0, start + args.restart_at - time.monotonic()))
        restart["from"] = time.monotonic() - start
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", PG["version"], PG["cluster"], "restart"],
                       check=True)
        restart["to"] = time.monotonic() - start
        for thread in threads:
            thread.join()
    finally:
        app.terminate()
        app.wait(timeout=30)

    stored = collections.defaultdict(list)
    for line in psql("SELECT id, title FROM catalog_practice WHERE title LIKE 'fault-drill %'", db=DB).splitlines():
        pk, title = line.split("|", 1)
        stored[title].append(int(pk))
    acknowledged = [w for w in writes if 200 <= w["status"] < 300]
    lost = [w for w in acknowledged if w["id"] not in stored.get(w["title"], [])]
    acked_titles = {w["title"] for w in acknowledged}
    logical = {w["title"] for w in writes}
    # A draft stored although no attempt of it was acknowledged: the client believes it failed.
    unacknowledged_but_stored = sorted(t for t in logical - acked_titles if t in stored)
    duplicates = {t: ids for t, ids in stored.items() if len(ids) > 1}
    replayed = [w for w in acknowledged if w["replayed"]]
    errors = [w for w in writes if not 200 <= w["status"] < 300]
    read_errors = [r for r in reads if r["status"] != 200]
    unfriendly = [x for x in writes + reads if not x["friendly"]]

    print()
    print(f"PostgreSQL restart: {restart['from']:.1f} s – {restart['to']:.1f} s of a {args.duration:.0f} s run; "
          f"gunicorn {args.workers} workers x 2 threads, {args.writers} writers + 1 reader")
    print(f"API writes: {len(logical)} drafts in {len(writes)} requests (retries carry the same Idempotency-Key); "
          f"{len(acked_titles)} drafts acknowledged, {len(replayed)} of them by a replayed answer")
    print(f"  lost {len(lost)}, stored twice {len(duplicates)}, never acknowledged but stored "
          f"{len(unacknowledged_but_stored)}, refused attempts {len(errors)}")
    print(f"  errors by status: {dict(collections.Counter(w['status'] for w in errors))}")
    if errors:
        window = (min(w["at"] for w in errors), max(w["at"] for w in errors))
        print(f"  errors between {window[0]:.1f} s and {window[1]:.1f} s")
    print(f"Site reads: {len(reads)} requests, errors by status: "
          f"{dict(collections.Counter(r['status'] for r in read_errors))}")
    print(f"Unfriendly error responses (traceback or wrong format): {len(unfriendly)}")
    for sample in (errors[:1] + read_errors[:1] + unfriendly[:3]):
        print(f"  e.g. {sample['status']}: {sample['text'][:160]!r}")
    for w in lost[:10]:
        print(f"  LOST: {w}")
    for title, ids in list(duplicates.items())[:10]:
        print(f"  STORED TWICE: {title}: {ids}")
    ok = not lost and not unfriendly and not duplicates
    print("RESULT:", "ok (nothing acknowledged lost, nothing stored twice, every error friendly)" if ok else "FAILED")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
