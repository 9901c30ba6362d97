"""The scale-out of docs/deployment.md, started for real on this machine (issue 22).

Two gunicorn app servers (two workers each) with the same environment, one nginx in front using
deploy/nginx/proxy-cache.conf unchanged, PostgreSQL (a fresh database of its own), Redis (a database
number of its own, flushed), an S3 API server and two ``db_worker`` processes.

The object store is moto in server mode (PyPI ``moto[server]``): it installs with pip like the rest
of the bank's Python dependencies, needs no Debian package, Java or container, starts in about a
second and speaks the S3 API that django-storages and boto3 use against any real store. What it
does not emulate (durability, several nodes) is the store's business, not the bank's.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[4]
PY = sys.executable
EDGE_CACHE_SECONDS = 3
REDIS_DB = "11"
SEED = "data/zoomi-2020/report.txt"


def free_port() -> int:
    return free_ports(1)[0]


def free_ports(count: int) -> list[int]:
    """Ports free now, all different: each socket stays bound until every port is chosen, else the
    system may hand out a port just released again (nginx then found an app server on its port)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def wait_http(url: str, timeout: float = 40, proc: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"{proc.args[:3]} exited with {proc.returncode} before {url} answered")
        try:
            requests.get(url, timeout=2)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout} s")


class Cluster:
    def __init__(self):
        self.work = Path(tempfile.mkdtemp(prefix="mb-multiserver-"))
        # nginx started as root runs its workers as an unprivileged user: they need the cache folder.
        self.work.chmod(0o777)
        self.db = f"mp_multiserver_{secrets.token_hex(4)}"
        self.bucket = "mb-multiserver"
        self.s3_port, self.nginx_port, first, second = free_ports(4)
        self.app_ports = {1: first, 2: second}
        self.apps: dict[int, subprocess.Popen] = {}
        self.workers: list[subprocess.Popen] = []
        self.others: list[subprocess.Popen] = []
        self.nginx_conf: Path | None = None
        self.logs = self.work / "logs"
        self.logs.mkdir()
        self.media_root = self.work / "media"
        self.env = {k: v for k, v in os.environ.items() if k not in ("WEB_CONCURRENCY",)}
        self.env.update(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{self.db}",
            CACHE_URL=f"redis://127.0.0.1:6379/{REDIS_DB}",
            ENV_FILE="",
            DEBUG="false",
            SECRET_KEY="multiserver-test-only-" + "k" * 40,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SITE_URL=f"http://127.0.0.1:{self.nginx_port}",
            SECURE_SSL_REDIRECT="false",
            SECURE_COOKIES="false",
            EDGE_CACHE_SECONDS=str(EDGE_CACHE_SECONDS),
            API_NUM_PROXIES="1",
            API_THROTTLE_ANON_RATE="8/min",
            OPEN_DATA_REBUILD_ON_PUBLISH="false",
            # Two servers x two workers: the bank refuses a process-local cache here (core.E001).
            WEB_CONCURRENCY="4",
            MEDIA_ROOT=str(self.media_root),
            STORAGE_BUCKET=self.bucket,
            STORAGE_ENDPOINT_URL=f"http://127.0.0.1:{self.s3_port}",
            STORAGE_ACCESS_KEY="testing",
            STORAGE_SECRET_KEY="testing",
            AWS_DEFAULT_REGION="us-east-1",
            LOG_LEVEL="WARNING",
        )
        self.env.pop("TASKS_BACKEND", None)

    # --- helpers -------------------------------------------------------------------------------

    def url(self, which, path: str) -> str:
        port = self.nginx_port if which == "nginx" else self.app_ports[which]
        return f"http://127.0.0.1:{port}{path}"

    def manage(self, *args: str, code: str | None = None, timeout: float = 180) -> str:
        cmd = [PY, "manage.py", *args]
        if code is not None:
            cmd = [PY, "manage.py", "shell", "-v", "0", "-c", code]
        result = subprocess.run(cmd, cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd[:4])} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def sql(self, query: str, *params):
        import psycopg

        with psycopg.connect(f"host=127.0.0.1 user=postgres dbname={self.db}", autocommit=True) as conn:
            return conn.execute(query, params).fetchall()

    def s3(self):
        import boto3

        return boto3.client(
            "s3", endpoint_url=self.env["STORAGE_ENDPOINT_URL"], aws_access_key_id="testing",
            aws_secret_access_key="testing", region_name="us-east-1",
        )

    def bucket_objects(self) -> dict[str, bytes]:
        s3 = self.s3()
        keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
                for o in page.get("Contents", [])]
        return {k: s3.get_object(Bucket=self.bucket, Key=k)["Body"].read() for k in keys}

    def flush_redis(self) -> None:
        import redis

        redis.Redis.from_url(self.env["CACHE_URL"]).flushdb()

    def _spawn(self, name: str, cmd: list[str]) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("ab")
        # A session of its own, so that stopping it reaches gunicorn's workers as well.
        return subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)

    # --- the pieces ----------------------------------------------------------------------------

    def start(self) -> None:
        self.others.append(self._spawn("s3", [PY, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.s3_port)]))
        wait_http(f"http://127.0.0.1:{self.s3_port}/", proc=self.others[-1])
        self.s3().create_bucket(Bucket=self.bucket)
        self.flush_redis()
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {self.db}"],
                       check=True, capture_output=True)
        self.manage("migrate", "-v0", "--noinput")
        self.manage("import_report", SEED, "-v0")
        for n in (1, 2):
            self.start_app(n)
        for n in (1, 2):
            self.workers.append(self._spawn(f"worker{n}", [PY, "manage.py", "db_worker"]))
        self.start_nginx()

    def start_app(self, n: int) -> None:
        import gunicorn

        cmd = [PY, "-m", "gunicorn", "config.wsgi:application", "-b", f"127.0.0.1:{self.app_ports[n]}",
               "-w", "2", "-k", "gthread", "--threads", "2", "--graceful-timeout", "5"]
        if gunicorn.version_info >= (27,):
            # Each server its own control socket (by default both would use ~/.gunicorn/gunicorn.ctl).
            cmd += ["--control-socket", str(self.work / f"app{n}.ctl")]
        self.apps[n] = self._spawn(f"app{n}", cmd)
        wait_http(self.url(n, "/fi/"), proc=self.apps[n])

    def stop_app(self, n: int, sig=signal.SIGKILL) -> None:
        proc = self.apps.pop(n, None)
        if proc is None or proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)

    def start_nginx(self) -> None:
        conf = self.work / "nginx.conf"
        (self.work / "cache").mkdir()
        t = self.work / "temp"
        t.mkdir()
        t.chmod(0o777)
        conf.write_text(f"""
worker_processes 1;
pid {self.work}/nginx.pid;
error_log {self.logs}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
  access_log {self.logs}/nginx-access.log;
  client_body_temp_path {t}/body;
  proxy_temp_path {t}/proxy;
  fastcgi_temp_path {t}/fastcgi;
  uwsgi_temp_path {t}/uwsgi;
  scgi_temp_path {t}/scgi;
  client_max_body_size 25m;
  upstream menetelmapankki {{
    server 127.0.0.1:{self.app_ports[1]};
    server 127.0.0.1:{self.app_ports[2]};
    keepalive 32;
  }}
  proxy_cache_path {self.work}/cache levels=1:2 keys_zone=menetelmapankki_pages:10m max_size=64m
                   inactive=10m use_temp_path=off;
  server {{
    listen 127.0.0.1:{self.nginx_port};
    location / {{ include {ROOT}/deploy/nginx/proxy-cache.conf; }}
  }}
}}
""")
        self.nginx_conf = conf
        subprocess.run(["nginx", "-c", str(conf), "-p", str(self.work)], check=True, capture_output=True)
        wait_http(self.url("nginx", "/fi/"))

    def stop(self) -> None:
        if self.nginx_conf is not None:
            subprocess.run(["nginx", "-c", str(self.nginx_conf), "-p", str(self.work), "-s", "stop"],
                           check=False, capture_output=True)
        for n in list(self.apps):
            self.stop_app(n, signal.SIGTERM)
        for proc in [*self.workers, *self.others]:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait(timeout=15)
        try:
            self.flush_redis()
        except Exception:  # noqa: BLE001 - cleaning up after a failure must go on
            pass
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc",
                        f"DROP DATABASE IF EXISTS {self.db} WITH (FORCE)"], check=False, capture_output=True)
        if os.environ.get("MULTISERVER_KEEP_LOGS"):
            print(f"multiserver logs kept in {self.logs}")
        else:
            shutil.rmtree(self.work, ignore_errors=True)

    def log_tail(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in sorted(self.logs.iterdir()))
