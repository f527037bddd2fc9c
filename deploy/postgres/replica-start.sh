#!/bin/sh
# The replica's entrypoint: on an empty volume, a base backup of the primary (-R writes
# primary_conninfo and standby.signal, so it starts as a streaming standby); then PostgreSQL.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h primary -p 5432 -q; do sleep 1; done
  export PGPASSWORD="$REPLICATION_PASSWORD"
  pg_basebackup -h primary -p 5432 -U replicator -D "$PGDATA" -R -X stream -c fast -w
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on -c hot_standby_feedback=on
