#!/usr/bin/env bash
# Start (or reuse) a throwaway PostgreSQL server on 127.0.0.1 for the tests; print its URL.
#   eval "$(scripts/pg_local.sh)"   # exports CLAIMLEDGER_TEST_PG_URL
# Uses Debian's postgresql package binaries; run as root it runs the server as the postgres user.
set -euo pipefail
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
PGDATA=${CLAIMLEDGER_PGDATA:-/tmp/claimledger-pg}
PGPORT=${CLAIMLEDGER_PGPORT:-55432}
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
  echo "scripts/pg_local.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 1
fi
as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  [ "$(id -u)" = 0 ] && chown postgres "$PGDATA"
  as_owner "'$PGBIN/initdb' -D '$PGDATA' -A trust -U postgres --no-sync >/dev/null"
fi
if ! as_owner "'$PGBIN/pg_ctl' -D '$PGDATA' status" >/dev/null 2>&1; then
  as_owner "'$PGBIN/pg_ctl' -D '$PGDATA' -w -l '$PGDATA/server.log' \
    -o \"-c listen_addresses=127.0.0.1 -p $PGPORT -k /tmp -c fsync=off\" start" >/dev/null
fi
"$PGBIN/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='claimledger_test'" | grep -q 1 \
  || "$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres claimledger_test
echo "export CLAIMLEDGER_TEST_PG_URL=postgresql://postgres@127.0.0.1:$PGPORT/claimledger_test"
