#!/usr/bin/env bash
# Find or start PostgreSQL and Redis for development and tests, then write .local/services.env.
#
# Order: DATABASE_URL / REDIS_URL from the environment; else servers already listening on the
# default local ports; else private servers under .local/ (system binaries, installed with
# apt-get when missing and we are root). No manual step.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p .local
PY=.venv/bin/python

port_open() { "$PY" - "$1" "$2" <<'PY'
import socket, sys
s = socket.socket(); s.settimeout(0.5)
sys.exit(0 if s.connect_ex((sys.argv[1], int(sys.argv[2]))) == 0 else 1)
PY
}

pg_bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir; return
  fi
  for dir in /usr/lib/postgresql/*/bin; do [ -x "$dir/initdb" ] && { echo "$dir"; return; }; done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return; }
  return 1
}

ensure_postgres() {
  if [ -n "${DATABASE_URL:-}" ]; then echo "$DATABASE_URL"; return; fi
  if port_open 127.0.0.1 5432; then echo "postgres://postgres@127.0.0.1:5432/seller_suite"; return; fi
  local port=54329 data=.local/pgdata
  if ! port_open 127.0.0.1 $port; then
    local bindir
    if ! bindir=$(pg_bindir); then
      [ "$(id -u)" = 0 ] || { echo "PostgreSQL is missing; install it or set DATABASE_URL" >&2; exit 1; }
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
      bindir=$(pg_bindir)
    fi
    local runas=()
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || useradd -r postgres
      chown -R postgres .local 2>/dev/null || true
      runas=(runuser -u postgres --)
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
      "${runas[@]}" "$bindir/initdb" -D "$data" -U postgres --auth=trust >&2
    fi
    "${runas[@]}" "$bindir/pg_ctl" -D "$data" -o "-p $port -k /tmp -c listen_addresses=127.0.0.1" \
      -l .local/postgres.log -w start >&2
  fi
  echo "postgres://postgres@127.0.0.1:$port/seller_suite"
}

ensure_redis() {
  if [ -n "${REDIS_URL:-}" ]; then echo "$REDIS_URL"; return; fi
  if port_open 127.0.0.1 6379; then echo "redis://127.0.0.1:6379/0"; return; fi
  local port=63799
  if ! port_open 127.0.0.1 $port; then
    if ! command -v redis-server >/dev/null 2>&1; then
      [ "$(id -u)" = 0 ] || { echo "Redis is missing; install it or set REDIS_URL" >&2; exit 1; }
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2
    fi
    redis-server --daemonize yes --bind 127.0.0.1 --port $port --save "" --appendonly no \
      --dir "$PWD/.local" --logfile "$PWD/.local/redis.log" >&2
    sleep 0.5
  fi
  echo "redis://127.0.0.1:$port/0"
}

DB_URL=$(ensure_postgres)
REDIS=$(ensure_redis)
cat > .local/services.env <<ENV
DATABASE_URL=$DB_URL
REDIS_URL=$REDIS
ENV
"$PY" - "$DB_URL" <<'PY'
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
echo "services: database $DB_URL, redis $REDIS"
