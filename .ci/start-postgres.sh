#!/usr/bin/env bash
# Starts a throwaway PostgreSQL (Debian's package) on loopback for the integration tests and
# prints the JDBC URL. Usage: .ci/start-postgres.sh [port] [data-dir]
set -euo pipefail
PORT="${1:-5432}"
DATA="${2:-/tmp/llmslo-pg-$PORT}"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "installing PostgreSQL from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq postgresql >&2
  # the package may start its own cluster on 5432: ours is a separate throwaway one
  if command -v pg_lsclusters >/dev/null 2>&1; then
    pg_lsclusters -h 2>/dev/null | while read -r ver name _; do pg_ctlcluster "$ver" "$name" stop >&2 || true; done
  fi
fi
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# a server already on the port that is not ours: move to the next free one
if [ ! -f "$DATA/postmaster.pid" ]; then
  while port_busy "$PORT"; do PORT=$((PORT + 1)); done
fi
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
# initdb refuses to run as root; the postgres system user comes with the package
RUN=()
if [ "$(id -u)" = "0" ]; then RUN=(runuser -u postgres --); fi
if [ ! -f "$DATA/PG_VERSION" ]; then
  rm -rf "$DATA"; mkdir -p "$DATA"
  [ "$(id -u)" = "0" ] && chown postgres:postgres "$DATA"
  "${RUN[@]}" "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 >/dev/null
fi
if ! "${RUN[@]}" "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  "${RUN[@]}" "$BIN/pg_ctl" -D "$DATA" -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" \
    -l "$DATA/server.log" -w start >/dev/null
fi
psql_() { "${RUN[@]}" psql -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
psql_ -c "SELECT 1 FROM pg_roles WHERE rolname='llmslo'" | grep -q 1 || psql_ -c "CREATE ROLE llmslo LOGIN PASSWORD 'llmslo'"
psql_ -c "SELECT 1 FROM pg_database WHERE datname='llmslo'" | grep -q 1 || psql_ -c "CREATE DATABASE llmslo OWNER llmslo"
echo "jdbc:postgresql://127.0.0.1:$PORT/llmslo?user=llmslo&password=llmslo"
