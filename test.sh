#!/usr/bin/env bash
# Command 2: install what the tests need and run the whole suite, first on SQLite, then on
# PostgreSQL (127.0.0.1:5432, user postgres). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")"
scripts/bootstrap.sh --test
export SECRET_KEY="${SECRET_KEY:-tests-only-insecure-key}"
PY=.venv/bin/python

echo "==> ruff"
.venv/bin/ruff check .
echo "==> lint-imports (apps depend one way, see [tool.importlinter] in pyproject.toml)"
.venv/bin/lint-imports
echo "==> manage.py check / makemigrations --check"
DATABASE_URL="sqlite:///:memory:" $PY manage.py check --fail-level WARNING
DATABASE_URL="sqlite:///:memory:" $PY manage.py makemigrations --check --dry-run

PG_URL="${TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/menetelmapankki}"
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "==> starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
  for _ in $(seq 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi

# Redis for the multi-server test (methodbank/core/tests/multiserver/), on its default port.
if ! redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then
  echo "==> starting Redis"
  redis-server --bind 127.0.0.1 --port 6379 --daemonize yes --save "" >/dev/null
  for _ in $(seq 20); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi

echo "==> pytest on SQLite"
DATABASE_URL="sqlite:///$(pwd)/var/test.sqlite3" $PY -m pytest "$@"
echo "==> pytest on PostgreSQL"
DATABASE_URL="$PG_URL" $PY -m pytest "$@"
