#!/usr/bin/env bash
# Installs everything the bank needs on a fresh Debian machine: system packages, a virtualenv
# with the Python dependencies, and the front-end packages from npm. Safe to re-run.
#   scripts/bootstrap.sh          runtime only
#   scripts/bootstrap.sh --test   also the test tools (pytest, Playwright, ...)
set -euo pipefail
cd "$(dirname "$0")/.."

WITH_TEST=0
[[ "${1:-}" == "--test" ]] && WITH_TEST=1

# Voikko for Finnish analysis, Pango for WeasyPrint PDFs, gettext for the translation catalogs,
# Chromium for the browser tests, nginx for the page-cache and multi-server tests, Redis for the
# multi-server test (bench/load adds wrk).
APT_PACKAGES=(libvoikko1 voikko-fi libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core gettext)
if [[ $WITH_TEST == 1 ]]; then
  APT_PACKAGES+=(chromium poppler-utils postgresql-client nginx redis-server)
fi
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} )); then
  echo "==> apt-get install ${missing[*]}"
  SUDO=""; [[ $(id -u) != 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null || PYTHON=python3
if [[ ! -x .venv/bin/python ]]; then
  echo "==> creating .venv with $PYTHON"
  "$PYTHON" -m venv .venv
fi
# pip runs when pyproject.toml changed since the last install (a stamp in .venv names its hash); a
# re-run, or a second clone sharing this .venv, installs nothing.
REQ_HASH=$(sha256sum pyproject.toml | cut -c1-16)
if [[ -e .venv/.installed-$REQ_HASH-test || ( $WITH_TEST == 0 && -e .venv/.installed-$REQ_HASH-runtime ) ]]; then
  echo "==> Python packages up to date"
else
  echo "==> pip install"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  if [[ $WITH_TEST == 1 ]]; then
    .venv/bin/python -m pip install -q -e ".[test]"
  else
    .venv/bin/python -m pip install -q -e .
  fi
  rm -f .venv/.installed-*
  touch ".venv/.installed-$REQ_HASH-$([[ $WITH_TEST == 1 ]] && echo test || echo runtime)"
fi

if [[ ! -d node_modules/hds-core || ! -d node_modules/htmx.org || ! -d node_modules/axe-core ]]; then
  echo "==> npm install (hds-core, htmx.org, axe-core)"
  npm install --no-audit --no-fund --silent
fi

# A local .env on the first run, so every README command works as written (manage.py refuses to
# start without a SECRET_KEY when DEBUG is false). Never overwritten; git-ignored. Production sets
# its own environment and has no .env.
if [[ ! -e .env ]]; then
  LOCAL_HOST="${HOST:-127.0.0.1}"
  LOCAL_PORT="${PORT:-8000}"
  (
    umask 077
    {
      echo "# Local development settings, written once by scripts/bootstrap.sh (it never overwrites this file)."
      echo "# The environment wins over this file. Never use these values in production."
      echo "DEBUG=true"
      echo "SECRET_KEY=$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))')"
      echo "SITE_URL=http://${LOCAL_HOST}:${LOCAL_PORT}"
      case "$LOCAL_HOST" in
        127.0.0.1|localhost) ;;
        *) echo "ALLOWED_HOSTS=127.0.0.1,localhost,[::1],${LOCAL_HOST}" ;;
      esac
    } > .env
  )
  echo "==> wrote .env (DEBUG=true, a new SECRET_KEY, SITE_URL=http://${LOCAL_HOST}:${LOCAL_PORT})"
fi

if compgen -G "methodbank/locale/*/LC_MESSAGES/django.po" >/dev/null; then
  # DEBUG=true: compiling needs no SECRET_KEY (settings refuse to load without one otherwise).
  (cd methodbank && DEBUG=true ../.venv/bin/python ../manage.py compilemessages -v 0)
fi
