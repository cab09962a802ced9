#!/usr/bin/env bash
# For developers: starts (or reuses) a persistent local test MariaDB and prints the
# exports to use it, e.g.  eval "$(bash scripts/dev-db.sh)" && npx vitest run server
source "$(dirname "$0")/lib.sh"
DIR="$LOCAL/devdb"; PORT="${VOLTLAB_DEVDB_PORT:-3327}"
start_mariadb "$DIR" "$PORT" >&2
URL="$(create_database "$DIR" "$PORT" voltlab_dev devpass)"
echo "export DATABASE_URL='$URL' NODE_ENV=test DATA_DIR='$LOCAL/devdata' JWT_SECRET='$(local_secret dev-jwt-secret)'"
