"""The dumps follow the site's address (issue 20, item 2), and production refuses to start without a key."""

import csv
import io
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings

from methodbank.api.opendata import open_data_build

pytestmark = pytest.mark.django_db


def _urls(client, name):
    text = b"".join(client.get(f"/api/dumps/{name}").streaming_content).decode("utf-8-sig")
    return [row["url"] for row in csv.DictReader(io.StringIO(text))]


def test_dumps_are_rebuilt_when_the_site_address_changes(client, catalog, settings):
    settings.SITE_URL = "http://127.0.0.1:8000"
    open_data_build()
    assert all(url.startswith("http://127.0.0.1:8000/") for url in _urls(client, "entries.csv"))

    settings.SITE_URL = "http://127.0.0.1:8101"
    for name in ("entries.csv", "projects.csv"):
        urls = _urls(client, name)
        assert urls and all(url.startswith("http://127.0.0.1:8101/") for url in urls)
    body = b"".join(client.get("/api/dumps/entries.json").streaming_content)
    assert b":8000" not in body


def test_hreflang_links_name_the_site_address(client, db, settings):
    settings.SITE_URL = "http://127.0.0.1:8101"
    html = client.get("/fi/hankkeet/").content.decode()
    assert 'hreflang="sv" href="http://127.0.0.1:8101/sv/hankkeet/"' in html and ":8000" not in html


def test_production_refuses_to_start_without_a_secret_key():
    # Production: DEBUG false, no SECRET_KEY, no .env (ENV_FILE="" reads none, whatever this checkout has).
    env = {key: value for key, value in os.environ.items() if key not in {"SECRET_KEY", "DEBUG"}}
    env.update({"DEBUG": "false", "ENV_FILE": "", "DJANGO_SETTINGS_MODULE": "config.settings"})
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=django_settings.BASE_DIR, env=env,
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0 and "SECRET_KEY must be set when DEBUG is false" in result.stderr
