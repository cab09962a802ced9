#!/usr/bin/env bash
# Run every test (type check, unit, integration against a real MariaDB, browser) on a
# throwaway database. Extra arguments go to vitest (e.g. a file filter).
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_setup

TMP_DB=""
cleanup() {
  trap - INT TERM EXIT
  if [ -n "$TMP_DB" ]; then
    [ -f "$TMP_DB/mariadb.pid" ] && kill "$(cat "$TMP_DB/mariadb.pid")" 2>/dev/null || true
    sleep 0.5; rm -rf "$TMP_DB"
  fi
}
trap cleanup INT TERM EXIT

if [ -z "${DATABASE_URL:-}" ]; then
  TMP_DB="$(mktemp -d /tmp/voltlab-testdb.XXXXXX)"
  DB_PORT=$((20000 + RANDOM % 20000))
  start_mariadb "$TMP_DB" "$DB_PORT"
  export DATABASE_URL="$(create_database "$TMP_DB" "$DB_PORT" voltlab_test testpass)"
  export VOLTLAB_DB_SOCKET="$TMP_DB/mysqld.sock"
  log "throwaway MariaDB on 127.0.0.1:$DB_PORT"
fi
export NODE_ENV=test
export DATA_DIR="${DATA_DIR:-$(mktemp -d /tmp/voltlab-data.XXXXXX)}"
export JWT_SECRET="${JWT_SECRET:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')}"

log "migrating and seeding"
npx tsx db/migrate.ts latest
npx tsx seeds/run.ts

if [ "$#" -eq 0 ]; then
  log "type check"
  npx tsc --noEmit
  log "format check (prettier) and lint (eslint: import direction, hooks, unused code)"
  npx prettier --check --log-level warn . || { log "prettier: run 'npx prettier --write .' and commit"; exit 1; }
  npx eslint --max-warnings 0 .
  log "C++ tests of the native core (plain LibTorch, no Node)"
  make -s -C native/tests -j 2 run
  log "building the web app for browser tests"
  npx remix build >"$LOCAL/remix-build.log" 2>&1 || { cat "$LOCAL/remix-build.log"; exit 1; }
fi

log "running tests"
REPORT="$LOCAL/vitest-report.json"
rm -f "$REPORT"
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$REPORT" "$@" || status=$?
# One plain closing line, whatever the runner printed above.
if [ -f "$REPORT" ]; then
  node -e 'const r=require(process.argv[1]);console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed`)' "$REPORT"
fi
exit "$status"
