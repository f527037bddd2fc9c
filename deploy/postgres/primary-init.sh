#!/bin/sh
# Runs once, when the primary's volume is first initialised (docker-entrypoint-initdb.d): a role the
# replica streams as, and the pg_hba line that lets it (replication connections match no "all" line).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD '${REPLICATION_PASSWORD}';
SQL
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
