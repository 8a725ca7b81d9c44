#!/usr/bin/env bash
# Runs CaseManagement at http://localhost:5080 (Development, demo data).
# Without ConnectionStrings__Postgres a private PostgreSQL under .data/ is started and stopped again; the
# application connects as a role that owns nothing, migrations run as the owner (docs/operations.md).
set -euo pipefail
cd "$(dirname "$0")"
. deploy/scripts/common.sh

cm_require_dotnet
export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://localhost:5080}"
app_port="$(printf '%s' "$ASPNETCORE_URLS" | sed -E 's#^[a-z]+://[^:/]+:([0-9]+).*#\1#')"
if [ -n "$app_port" ] && (exec 3<>"/dev/tcp/127.0.0.1/$app_port") 2>/dev/null; then
  cm_die "Port $app_port ist belegt – läuft CaseManagement schon? Anderen Port mit ASPNETCORE_URLS=http://localhost:5090 wählen."
fi

if [ -z "${ConnectionStrings__Postgres:-}" ]; then
  cm_require_postgres
  trap cm_stop_local_cluster EXIT
  trap 'exit 130' INT TERM
  cm_start_local_cluster "$PWD/.data"
fi

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"

cm_log "Baue die Anwendung"
dotnet build src/CaseManagement.Web/CaseManagement.Web.csproj -c Debug --nologo -v quiet -clp:ErrorsOnly

if [ -z "${DataProtection__Certificate__Path:-}" ]; then
  cm_key_ring_certificate "$PWD/.data" src/CaseManagement.Web/bin/Debug/net10.0/CaseManagement.Web.dll
fi

cd src/CaseManagement.Web
cm_log "Wende Migrationen an"
# migrate and rebuild-projections connect as ConnectionStrings__PostgresOwner when it is set.
dotnet bin/Debug/net10.0/CaseManagement.Web.dll migrate
# Read models follow the code of this checkout, also for cases created by an older version (cheap at demo size).
dotnet bin/Debug/net10.0/CaseManagement.Web.dll rebuild-projections
cm_log "Starte CaseManagement auf $ASPNETCORE_URLS (Beenden mit Strg+C)"
# In the background with wait, so that a TERM or INT to this script alone (not only to its process group)
# stops the application first and then, through the EXIT trap, the local cluster. The application gets only
# its own role's connection string, not the owner's.
env -u ConnectionStrings__PostgresOwner dotnet bin/Debug/net10.0/CaseManagement.Web.dll &
app_pid=$!
trap 'kill -TERM "$app_pid" 2>/dev/null; wait "$app_pid"; exit 143' TERM
trap 'kill -TERM "$app_pid" 2>/dev/null; wait "$app_pid"; exit 130' INT
wait "$app_pid"
