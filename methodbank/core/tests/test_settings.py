"""Production settings: the deploy checklist passes, and a bank without a secret key will not start."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args, **env):
    full_env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "SECURE_SSL_REDIRECT", "SECURE_COOKIES", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    # Production has no .env (a developer's checkout has one, written by scripts/bootstrap.sh).
    full_env.update({"DATABASE_URL": "sqlite:///:memory:", "ENV_FILE": "", **env})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_with_production_environment():
    result = _manage(
        "check", "--deploy", "--fail-level", "WARNING",
        DEBUG="false",
        SECRET_KEY="k8#Vq2!zP0wLx7@rT5nB3mY9sD1fG4hJ6kQ8eW2uI0oA7cZ5vX3",
        ALLOWED_HOSTS="menetelmapankki.example.fi",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_bank_refuses_to_start_without_secret_key_when_not_debugging():
    result = _manage("check", DEBUG="false", ALLOWED_HOSTS="menetelmapankki.example.fi")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_responses_carry_security_headers(client, db):
    response = client.get("/fi/")
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_object_storage_is_chosen_by_the_environment():
    code = "from django.conf import settings; s = settings.STORAGES['default']; print(s['BACKEND'], s['OPTIONS']['default_acl'])"
    result = _manage("shell", "-v", "0", "-c", code, DEBUG="true", STORAGE_BUCKET="menetelmapankki-media")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["storages.backends.s3.S3Storage", "private"]
