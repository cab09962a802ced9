#!/usr/bin/env bash
# Start the whole product: installs what is missing, brings up a local MariaDB when
# DATABASE_URL is unset, migrates, seeds, builds, then runs the web process and the worker.
# Ctrl-C stops everything this script started.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
ensure_setup

PIDS=()
cleanup() {
  trap - INT TERM EXIT
  log "stopping"
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

if [ -z "${DATABASE_URL:-}" ]; then
  DB_PORT="${VOLTLAB_DB_PORT:-3317}"
  start_mariadb "$LOCAL/mariadb" "$DB_PORT"
  [ "$MARIADB_STARTED" = 1 ] && PIDS+=("$MARIADB_PID")
  export DATABASE_URL="$(create_database "$LOCAL/mariadb" "$DB_PORT" voltlab "$(local_secret db-password)")"
  log "local MariaDB on 127.0.0.1:$DB_PORT"
fi
export NODE_ENV="${NODE_ENV:-production}"

log "migrating and seeding"
npx tsx db/migrate.ts latest
npx tsx seeds/run.ts

log "building the web app"
npx remix build >"$LOCAL/remix-build.log" 2>&1 || { cat "$LOCAL/remix-build.log"; exit 1; }

npx tsx server/index.ts & PIDS+=($!)
# The worker is restarted whenever it dies (crash, out of memory, kill), with the reason logged.
bash scripts/supervise.sh worker npx tsx jobs/worker.ts & PIDS+=($!)
log "VoltLab is starting on http://localhost:${PORT:-3000} (Ctrl-C to stop)"
wait -n
