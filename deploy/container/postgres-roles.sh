#!/bin/sh
# The database's two roles (docs/operations.md), created once when the PostgreSQL volume is initialised
# (mounted into /docker-entrypoint-initdb.d by compose.yaml; runs as the superuser):
#   casemanagement_owner  owns the database and, through `migrate`, every schema object;
#   casemanagement_app    what the application nodes connect as: owns nothing, gets row rights from `migrate`.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_pw="$CM_OWNER_PASSWORD" -v app_pw="$CM_APP_PASSWORD" <<'SQL'
CREATE ROLE casemanagement_owner LOGIN PASSWORD :'owner_pw';
CREATE ROLE casemanagement_app LOGIN PASSWORD :'app_pw';
CREATE DATABASE casemanagement OWNER casemanagement_owner;
SQL
