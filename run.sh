#!/usr/bin/env bash
# Command 1: install, migrate, import the Zoomi 2020 catalog and serve the bank on
# http://127.0.0.1:8000 (SQLite in ./var unless DATABASE_URL says otherwise).
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh
export DEBUG="${DEBUG:-true}"
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py import_report data/zoomi-2020/report.txt
exec .venv/bin/python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
