#!/usr/bin/env bash
# Command 2: install what the tests need and run the whole suite on SQLite and on PostgreSQL
# (127.0.0.1:5432, user postgres), the two passes at once. Extra arguments go to pytest.
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
# The README test (SQLite pass) runs ./test.sh in a fresh clone, whose PostgreSQL pass needs a
# database of its own: named after this one, so that two checkouts given two TEST_PG_URLs never meet.
pg_base="${PG_URL%%\?*}"
export README_TEST_PG_URL="${README_TEST_PG_URL:-${pg_base}_readme${PG_URL#"$pg_base"}}"
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

# The two passes run at the same time: each is mostly one Python process waiting on nothing but a
# core, so on two cores the suite takes about as long as its slower pass instead of both added up.
# Each pass has a folder of its own under var/test-passes/ for everything that is not per test: its
# VAR_DIR (so MEDIA_ROOT, backups), its pytest cache and its log. Tests that reach shared services
# (Redis, nginx, ports) take their own ports and keys (see the tests that use them). The logs are
# shown whole at the end, SQLite first, so the last lines are pytest's summary as before; each ends
# with its 20 slowest tests, so that a test that makes the suite slower shows in CI's log.
PASSES=var/test-passes
rm -rf "$PASSES"
mkdir -p "$PASSES/sqlite/var" "$PASSES/postgresql/var"

run_pass() {  # name DATABASE_URL pytest-args...  (run in the background: exec makes its pid pytest's)
  local name=$1 url=$2
  shift 2
  VAR_DIR="$(pwd)/$PASSES/$name/var" DATABASE_URL="$url" \
    exec $PY -m pytest -o cache_dir="$PASSES/$name/pytest-cache" --durations=20 "$@" </dev/null >"$PASSES/$name/log" 2>&1
}

echo "==> pytest on SQLite and on PostgreSQL at once (follow with: tail -f $PASSES/*/log)"
started=$SECONDS
# Job control gives each pass a process group of its own in which SIGINT is not ignored (bash ignores
# it in background jobs otherwise), so that Ctrl-C can be passed on and pytest stops as it does when
# run by hand: fixtures torn down, servers it started stopped.
set -m
run_pass sqlite "sqlite:///$(pwd)/var/test.sqlite3" "$@" &
sqlite_pid=$!
run_pass postgresql "$PG_URL" "$@" &
postgresql_pid=$!
# Ctrl-C or a stopped CI job ends both passes (and what they started) rather than leaving one running.
trap 'kill -INT -- "-$sqlite_pid" "-$postgresql_pid" 2>/dev/null || true' INT TERM

status=0
for name in sqlite postgresql; do
  pid_var="${name}_pid"
  rc=0
  wait "${!pid_var}" || rc=$?
  # A wait cut short by Ctrl-C (status above 128) waits again while the pass tears down.
  while (( rc > 128 )) && kill -0 "${!pid_var}" 2>/dev/null; do
    rc=0
    wait "${!pid_var}" || rc=$?
  done
  echo "==> $name pass exited $rc after $((SECONDS - started)) s"
  declare "${name}_rc=$rc"
  (( rc == 0 )) || status=1
done
trap - INT TERM
set +m

for name in sqlite postgresql; do
  echo
  echo "==> pytest on $([[ $name == sqlite ]] && echo SQLite || echo PostgreSQL) ($PASSES/$name/log)"
  cat "$PASSES/$name/log"
done
rc_line="SQLite exit $sqlite_rc, PostgreSQL exit $postgresql_rc"
if (( status != 0 )); then
  echo "==> FAILED: $rc_line" >&2
fi
exit $status
