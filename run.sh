#!/usr/bin/env bash
# Command 1: install, migrate, import the Zoomi 2020 catalog and serve the bank on
# http://127.0.0.1:8000 (SQLite in ./var unless DATABASE_URL says otherwise), with the
# background worker that builds reports.
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh
export DEBUG="${DEBUG:-true}"
# Absolute links (reports, open data, hreflang) name the address this script serves, unless
# SITE_URL is given; build_open_data below then rewrites the dumps for it.
export SITE_URL="${SITE_URL:-http://${HOST:-127.0.0.1}:${PORT:-8000}}"
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py import_report data/zoomi-2020/report.txt
.venv/bin/python manage.py build_open_data
# The whole-catalog figures (front page counts, search facets), so the first visitor waits for none.
.venv/bin/python manage.py warm_shared_figures
# Report builds and other background jobs (django-tasks, database backend).
.venv/bin/python manage.py db_worker &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
echo "==> Menetelmäpankki: http://${HOST:-127.0.0.1}:${PORT:-8000}/"
.venv/bin/python manage.py runserver --noreload "${HOST:-127.0.0.1}:${PORT:-8000}"
