#!/usr/bin/env bash
# Start (or reuse) a throwaway PostgreSQL cluster for the tests, owned by the `postgres`
# user (initdb refuses to run as root), listening on 127.0.0.1 only. Installs PostgreSQL
# when it is missing. Prints the server URL (without a database) on stdout.
set -euo pipefail
PGPORT="${CALP_TEST_PG_PORT:-54329}"
PGDIR="${CALP_TEST_PG_DIR:-/tmp/calp-test-pg}"

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

if ! BIN=$(find_bin); then
  echo "calp: installing PostgreSQL (apt-get)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  BIN=$(find_bin)
fi

as_pg() {
  if [ "$(id -u)" = 0 ]; then
    su postgres -s /bin/bash -c "$*"
  else
    bash -c "$*"
  fi
}

if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDIR" && chown postgres "$PGDIR"
else
  mkdir -p "$PGDIR"
fi
if [ ! -f "$PGDIR/data/PG_VERSION" ]; then
  as_pg "'$BIN/initdb' -D '$PGDIR/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null"
fi
if ! as_pg "'$BIN/pg_ctl' -D '$PGDIR/data' status >/dev/null 2>&1"; then
  as_pg "'$BIN/pg_ctl' -D '$PGDIR/data' -l '$PGDIR/server.log' -w -t 60 \
    -o \"-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300\" start >/dev/null"
fi
echo "postgresql+psycopg://postgres@127.0.0.1:$PGPORT"
