"""A process-local cache with several app processes is refused (issue 22): the rate limits and
log-in locks would be counted per worker."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured

from methodbank.core.checks import refuse_process_local_cache

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DUMMY = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
    }
}
# A subclass of the local-memory cache, as a cache library's wrapper might be.
SUBCLASS = {"default": {"BACKEND": "methodbank.core.tests.test_checks.WrappedLocMem"}}

from django.core.cache.backends.locmem import LocMemCache  # noqa: E402


class WrappedLocMem(LocMemCache):
    pass


def _ids(**kwargs):
    return {m.id for m in run_checks(**kwargs)}


@pytest.mark.parametrize("caches", [LOCMEM, DUMMY, SUBCLASS])
def test_process_local_cache_with_several_workers_fails_check(settings, caches):
    settings.DEBUG = False
    settings.APP_PROCESSES = 4
    settings.CACHES = caches
    assert "core.E001" in _ids()
    assert "core.E001" in _ids(include_deployment_checks=True)
    with pytest.raises(ImproperlyConfigured, match="WEB_CONCURRENCY says 4"):
        refuse_process_local_cache()


@pytest.mark.parametrize(
    ("debug", "processes", "caches"),
    [(False, 1, LOCMEM), (True, 4, LOCMEM), (False, 4, REDIS)],
)
def test_one_process_debug_or_shared_cache_pass(settings, debug, processes, caches):
    settings.DEBUG = debug
    settings.APP_PROCESSES = processes
    settings.CACHES = caches
    assert "core.E001" not in _ids()
    refuse_process_local_cache()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _gunicorn(cache_url: str | None, workers: int, wait: float = 8) -> subprocess.CompletedProcess:
    root = Path(__file__).resolve().parents[3]
    env = {k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "WEB_CONCURRENCY")}
    env.update(DEBUG="false", SECRET_KEY="x", ENV_FILE="", DATABASE_URL="sqlite:///:memory:")
    if cache_url:
        env["CACHE_URL"] = cache_url
    gunicorn = [sys.executable, "-m", "gunicorn"]
    # Started for real (the worker count reaches the bank through gunicorn.conf.py's on_starting
    # hook, which --check-config does not run), and stopped if it is still serving after a while.
    proc = subprocess.Popen(
        [*gunicorn, "config.wsgi:application", "-b", f"127.0.0.1:{_free_port()}", "-w", str(workers),
         "--timeout", "20"],
        cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        out, _ = proc.communicate(timeout=wait)
    except subprocess.TimeoutExpired:
        proc.terminate()
        out, _ = proc.communicate(timeout=15)
        return subprocess.CompletedProcess(proc.args, None, out)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out)


def test_gunicorn_with_two_workers_and_local_memory_cache_refuses_to_start():
    # Waits until gunicorn gives up: with both of ./test.sh's passes running on two cores, booting
    # and reaping the two failing workers alone took more than 8 s.
    result = _gunicorn(None, 2, wait=90)
    assert result.returncode not in (None, 0), result.stdout
    assert "WEB_CONCURRENCY says 2" in result.stdout


def test_gunicorn_with_one_worker_and_local_memory_cache_starts():
    # Still running after 8 s: it started (and was stopped by the test).
    result = _gunicorn(None, 1)
    assert result.returncode is None, result.stdout
