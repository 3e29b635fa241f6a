#!/usr/bin/env bash
# A throwaway PostgreSQL 15 + pgvector for the shared-tier tests (.ci/run and the restart test use it):
#
#   scripts/pg-test-server.sh install     builds pgvector from ../shared/vendor into PostgreSQL 15 (as root,
#                                         installing postgresql-server-dev-15) unless it is there already
#   scripts/pg-test-server.sh start DIR [--durable]
#                                         starts a private cluster in DIR (created on first start) on a
#                                         loopback port of its own and prints its URL (ASTERIA_TEST_PG_URL);
#                                         fsync is off (tests run twice as fast) unless --durable (benchmarks)
#   scripts/pg-test-server.sh halt DIR    stops that cluster, keeping its data for the next start
#   scripts/pg-test-server.sh stop DIR    stops that cluster and removes DIR
#
# When PostgreSQL 15, pgvector, its vendored source or the rights to build it are missing, `install`
# and `start` say why on stderr, print no URL and succeed: the tests that need a real server then skip.
set -euo pipefail
cd "$(dirname "$0")/.."
PGBIN=/usr/lib/postgresql/15/bin
PGVECTOR=pgvector-0.8.6
TARBALL=../shared/vendor/$PGVECTOR.tar.gz
CONTROL=/usr/share/postgresql/15/extension/vector.control

skip() {
  echo "pg-test-server: $*; the tests that need a real PostgreSQL will skip" >&2
  exit 0
}

# PostgreSQL refuses to run as root: root runs the cluster as the postgres user.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install() {
  [ -x "$PGBIN/initdb" ] || skip "PostgreSQL 15 is not installed ($PGBIN)"
  [ -f "$CONTROL" ] && return
  [ -f "$TARBALL" ] || skip "pgvector is not installed and $TARBALL is absent"
  [ "$(id -u)" = 0 ] || skip "pgvector is not installed, and building it into PostgreSQL 15 needs root"
  if [ ! -f /usr/include/postgresql/15/server/postgres.h ]; then
    (apt-get update -qq && apt-get install -y -qq postgresql-server-dev-15 >/dev/null) || skip "could not install postgresql-server-dev-15"
  fi
  local src
  src=$(mktemp -d)
  tar xzf "$TARBALL" -C "$src"
  # OPTFLAGS="" keeps the build portable (no -march=native); the build stays in a temp folder.
  make -s -j2 -C "$src/$PGVECTOR" PG_CONFIG="$PGBIN/pg_config" OPTFLAGS="" >/dev/null
  make -s -C "$src/$PGVECTOR" PG_CONFIG="$PGBIN/pg_config" install >/dev/null
  rm -rf "$src"
}

start() {
  local dir=$1 port fsync=off
  if [ "${2:-}" = --durable ]; then fsync=on; fi
  [ -x "$PGBIN/initdb" ] || skip "PostgreSQL 15 is not installed ($PGBIN)"
  [ -f "$CONTROL" ] || skip "pgvector is not installed in PostgreSQL 15 (scripts/pg-test-server.sh install builds it)"
  if [ ! -d "$dir/data" ]; then
    node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close() })" >"$dir/port"
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
    as_owner "$PGBIN/initdb" -D "$dir/data" -A trust -U postgres >/dev/null
  fi
  port=$(cat "$dir/port")
  # Its own socket folder and loopback port: the machine's own clusters are never touched.
  as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=$fsync" start >/dev/null
  echo "pg-test-server: PostgreSQL $("$PGBIN/postgres" -V | awk '{print $3}') with pgvector $(sed -n "s/^default_version = '\(.*\)'/\1/p" "$CONTROL") on 127.0.0.1:$port, fsync $fsync ($dir)" >&2
  echo "postgres://postgres@127.0.0.1:$port/postgres"
}

halt() {
  if [ -f "$1/data/postmaster.pid" ]; then as_owner "$PGBIN/pg_ctl" -D "$1/data" -m fast -w stop >/dev/null; fi
}

case "${1:-}:${2:-}" in
  install:) install ;;
  start:?*) start "$2" "${3:-}" ;;
  halt:?*) halt "$2" ;;
  stop:?*) halt "$2" || echo "pg-test-server: could not stop the cluster in $2 (see $2/server.log)" >&2; rm -rf "$2" ;;
  *) echo "usage: $0 install | start DIR [--durable] | halt DIR | stop DIR" >&2 && exit 2 ;;
esac
