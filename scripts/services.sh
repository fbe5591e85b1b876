#!/usr/bin/env bash
# Find or start PostgreSQL and Redis for development and tests, then write .local/services.env.
#
#   scripts/services.sh          find or start them (what `make services` runs)
#   scripts/services.sh stop     stop the private servers of this checkout (`make services-stop`)
#   scripts/services.sh purge    stop them and delete their data
#
# Order: DATABASE_URL / REDIS_URL from the environment; else servers already listening on the
# default local ports; else private servers of this checkout (system binaries, installed with
# apt-get when missing and we are root). No manual step.
#
# The private servers keep their files outside the checkout, in
# /var/tmp/seller-suite-<hash of the checkout's path>: PostgreSQL refuses to run as root, and the
# `postgres` user it then runs as cannot enter a checkout under a private directory (/root, a
# home directory). Their ports come from the same hash, so two checkouts never share one.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd -P)
PY=$ROOT/.venv/bin/python
ENV_FILE=$ROOT/.local/services.env

checkout_hash=$(printf %s "$ROOT" | sha256sum | cut -c1-12)
STATE=${SERVICES_STATE_DIR:-/var/tmp/seller-suite-$checkout_hash}
PG_DIR=$STATE/postgres # owned by the user PostgreSQL runs as, mode 700
PG_DATA=$PG_DIR/data
REDIS_DIR=$STATE/redis
# Above Linux's ephemeral range (32768-60999), so no outgoing connection holds them.
port_offset=$((16#${checkout_hash:0:4} % 1000))
PG_PORT=${SERVICES_PG_PORT:-$((61000 + port_offset))}
REDIS_PORT=${SERVICES_REDIS_PORT:-$((62000 + port_offset))}
PRIVATE_DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/seller_suite
PRIVATE_REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0

port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

wait_for_port() { # port, open|closed
  for _ in $(seq 100); do
    if port_open 127.0.0.1 "$1"; then [ "$2" = open ] && return 0
    else [ "$2" = closed ] && return 0; fi
    sleep 0.1
  done
  return 1
}

is_root() { [ "$(id -u)" = 0 ]; }

apt_install() {
  is_root || { echo "$1 is missing; install it or set $2" >&2; exit 1; }
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >&2
}

pg_bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return
  fi
  for dir in /usr/lib/postgresql/*/bin; do [ -x "$dir/initdb" ] && { echo "$dir"; return; }; done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return; }
  return 1
}

# PostgreSQL's own commands, as the user that owns the cluster (postgres when we are root), from
# a directory that user may enter.
as_cluster_owner() {
  if is_root; then (cd / && runuser -u postgres -- "$@"); else (cd / && "$@"); fi
}

postgres_running() { [ -f "$PG_DATA/PG_VERSION" ] && as_cluster_owner "$BINDIR/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; }

postgres_start() {
  BINDIR=$(pg_bindir) || { apt_install postgresql DATABASE_URL; BINDIR=$(pg_bindir); }
  postgres_running && return
  mkdir -p "$STATE" && chmod 755 "$STATE"
  if is_root; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    install -d -o postgres -g "$(id -gn postgres)" -m 700 "$PG_DIR"
  else
    install -d -m 700 "$PG_DIR"
  fi
  if [ ! -f "$PG_DATA/PG_VERSION" ]; then
    as_cluster_owner "$BINDIR/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 \
      --no-instructions >&2
  fi
  if ! as_cluster_owner "$BINDIR/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/postgres.log" -w start \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1" >&2; then
    tail -n 20 "$PG_DIR/postgres.log" >&2
    exit 1
  fi
}

ensure_postgres() {
  if [ -n "${DATABASE_URL:-}" ]; then echo "$DATABASE_URL"; return; fi
  if port_open 127.0.0.1 5432; then echo "postgres://postgres@127.0.0.1:5432/seller_suite"; return; fi
  postgres_start
  echo "$PRIVATE_DATABASE_URL"
}

redis_pid() { # the pid of this checkout's private Redis, if it runs
  local pid
  pid=$(cat "$REDIS_DIR/redis.pid" 2>/dev/null) && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

redis_start() {
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server REDIS_URL
  redis_pid >/dev/null && return
  mkdir -p "$STATE" && chmod 755 "$STATE" && install -d -m 700 "$REDIS_DIR"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" \
    --appendonly no --dir "$REDIS_DIR" --logfile "$REDIS_DIR/redis.log" \
    --pidfile "$REDIS_DIR/redis.pid" >&2
  wait_for_port "$REDIS_PORT" open || { tail -n 20 "$REDIS_DIR/redis.log" >&2; exit 1; }
}

ensure_redis() {
  if [ -n "${REDIS_URL:-}" ]; then echo "$REDIS_URL"; return; fi
  if port_open 127.0.0.1 6379; then echo "redis://127.0.0.1:6379/0"; return; fi
  redis_start
  echo "$PRIVATE_REDIS_URL"
}

database_ensure() { # create the database the URL names, if missing
  "$PY" - "$1" <<'PY'
import sys
from urllib.parse import urlsplit

import psycopg2

url = urlsplit(sys.argv[1])
name = url.path.lstrip("/")
conn = psycopg2.connect(host=url.hostname, port=url.port or 5432, user=url.username or "postgres",
                        password=url.password or None, dbname="postgres")
conn.autocommit = True
with conn.cursor() as cur:
    cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    if not cur.fetchone():
        cur.execute(f'CREATE DATABASE "{name}"')
PY
}

start() {
  local database_url redis_url
  database_url=$(ensure_postgres)
  redis_url=$(ensure_redis)
  mkdir -p "$ROOT/.local"
  printf 'DATABASE_URL=%s\nREDIS_URL=%s\n' "$database_url" "$redis_url" >"$ENV_FILE"
  database_ensure "$database_url"
  echo "services: database $database_url, redis $redis_url"
}

stop() {
  if [ -f "$PG_DATA/postmaster.pid" ] && BINDIR=$(pg_bindir) && postgres_running; then
    as_cluster_owner "$BINDIR/pg_ctl" -D "$PG_DATA" -m fast -w stop >&2
    echo "services: stopped the private PostgreSQL on port $PG_PORT"
  fi
  local pid
  if pid=$(redis_pid); then
    kill -TERM "$pid"
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then echo "Redis (pid $pid) did not stop" >&2; exit 1; fi
    echo "services: stopped the private Redis on port $REDIS_PORT"
  fi
  rm -f "$REDIS_DIR/redis.pid"
  # The file must not point later commands at servers that are gone.
  if [ -f "$ENV_FILE" ] && grep -qE ":($PG_PORT|$REDIS_PORT)/" "$ENV_FILE"; then rm -f "$ENV_FILE"; fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  purge) stop && rm -rf "$STATE" && echo "services: removed $STATE" ;;
  *) echo "usage: $0 [start|stop|purge]" >&2; exit 2 ;;
esac
