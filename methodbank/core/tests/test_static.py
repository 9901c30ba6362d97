"""Static files are collected under content-hashed names with compressed copies (WhiteNoise's
manifest storage), and pages link the hashed names: a new release never serves a browser old CSS."""

import re

import pytest
from django.core.management import call_command


@pytest.fixture
def collected(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    return tmp_path


@pytest.mark.slow  # collectstatic compresses about a thousand files: two minutes on a shared machine
@pytest.mark.django_db
def test_pages_link_hashed_static_files_that_collectstatic_wrote_with_compressed_copies(client, collected):
    html = client.get("/fi/").content.decode()
    links = re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    assert links, html[:2000]
    for link in links:
        # name.<12 hex digits>.ext, present with its gzip copy
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", link), link
        assert (collected / link).is_file()
        assert (collected / f"{link}.gz").is_file()


def test_production_settings_use_the_manifest_storage():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {k: v for k, v in os.environ.items() if k != "STATIC_MANIFEST"}
    code = "import django; django.setup(); from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])"
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[3],
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.strip() == "whitenoise.storage.CompressedManifestStaticFilesStorage", out.stderr
