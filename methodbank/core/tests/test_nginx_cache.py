"""deploy/nginx/proxy-cache.conf in front of the bank, with a real nginx (Debian's, installed by
scripts/bootstrap.sh --test): it stores only what every anonymous visitor shares, and serves the
last good copy when the database is gone."""

import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db import OperationalError

from methodbank.catalog import selectors

ROOT = Path(django_settings.BASE_DIR)


def _free_port() -> int:
    # Not a fixed port: ./test.sh runs its SQLite and PostgreSQL passes at once, each with this nginx.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.page_cache]


@pytest.fixture
def nginx(live_server, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ngx"}}
    settings.EDGE_CACHE_SECONDS = 1
    assert shutil.which("nginx"), "nginx is installed by scripts/bootstrap.sh --test"
    # Not pytest's tmp_path: nginx's workers run unprivileged and cannot enter /tmp/pytest-of-root.
    tmp_path = Path(tempfile.mkdtemp(prefix="mb-nginx-test-"))
    tmp_path.chmod(0o777)
    (tmp_path / "cache").mkdir()
    upstream = live_server.url.removeprefix("http://")
    port = _free_port()
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"""
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{ worker_connections 64; }}
http {{
  access_log off;
  upstream menetelmapankki {{ server {upstream}; }}
  proxy_cache_path {tmp_path}/cache keys_zone=menetelmapankki_pages:1m;
  server {{
    listen 127.0.0.1:{port};
    location / {{ include {ROOT}/deploy/nginx/proxy-cache.conf; }}
  }}
}}
""")
    subprocess.run(["nginx", "-c", str(conf), "-p", str(tmp_path)], check=True)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        subprocess.run(["nginx", "-c", str(conf), "-p", str(tmp_path), "-s", "stop"], check=False)
        print((tmp_path / "error.log").read_text())  # shown when a test fails
        shutil.rmtree(tmp_path, ignore_errors=True)
        cache.clear()


def get(url, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def test_anonymous_public_pages_are_cached_and_personal_ones_never(nginx):
    status, headers, body = get(f"{nginx}/fi/")
    assert status == 200 and headers["X-Cache"] == "MISS", body[:3000]
    assert "X-Accel-Expires" not in headers  # nginx keeps it to itself
    status, headers, cached = get(f"{nginx}/fi/")
    assert headers["X-Cache"] == "HIT" and cached == body

    # A session cookie or a token means a person: straight to the bank.
    assert get(f"{nginx}/fi/", Cookie="sessionid=abc")[1]["X-Cache"] == "BYPASS"
    assert get(f"{nginx}/api/v1/themes", Authorization="Bearer x")[1]["X-Cache"] == "BYPASS"
    # A form with a CSRF token and the API are not marked, so never stored.
    for path in ("/fi/tili/login/", "/api/v1/themes"):
        get(f"{nginx}{path}")
        assert get(f"{nginx}{path}")[1]["X-Cache"] == "MISS", path


def test_the_last_good_copy_is_served_while_the_database_is_down(nginx, monkeypatch):
    assert get(f"{nginx}/fi/")[0] == 200
    time.sleep(2.5)  # the copy expires (EDGE_CACHE_SECONDS = 1; nginx counts whole seconds)
    cache.clear()  # and the bank's own page cache is empty

    def database_gone():
        raise OperationalError("connection refused")

    monkeypatch.setattr(selectors, "theme_list_with_counts", database_gone)
    # Nor can the figures' copies kept in the database be read (core/shared_figures.py).
    from methodbank.core import cache as core_cache

    monkeypatch.setattr(core_cache, "figure_read", lambda name: database_gone())
    # The refresh fails with the bank's 503; visitors still get the page (refreshed in the background).
    statuses = set()
    for _ in range(3):
        status, headers, body = get(f"{nginx}/fi/")
        statuses.add((status, headers["X-Cache"]))
        time.sleep(0.2)
    assert statuses <= {(200, "STALE"), (200, "UPDATING")}, statuses
    # A page nginx never had gets the bank's friendly 503 page.
    status, _headers, body = get(f"{nginx}/fi/?uusi=1")
    assert status == 503 and "<h1>" in body
