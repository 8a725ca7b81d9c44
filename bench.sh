#!/usr/bin/env bash
# Measures CaseManagement at a given size (README "Performance"):  ./bench.sh small|state [harness options]
# Without ConnectionStrings__Postgres a private PostgreSQL under .data/bench is started and stopped again.
set -euo pipefail
cd "$(dirname "$0")"
. deploy/scripts/common.sh

preset="${1:-small}"
shift || true
cm_require_dotnet
# `--only reads` also measures the load through HAProxy and two nodes (left out, with a note, without it).
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || cm_apt_install haproxy

if [ -z "${ConnectionStrings__Postgres:-}" ]; then
  cm_require_postgres
  trap cm_stop_local_cluster EXIT
  trap 'exit 130' INT TERM
  CM_PG_PORT="${CM_BENCH_PG_PORT:-55433}" cm_start_local_cluster "$PWD/.data/bench"
fi

cm_log "Baue im Release-Modus"
dotnet build CaseManagement.sln -c Release --nologo -v quiet -clp:ErrorsOnly
cm_log "Messe mit der Größe $preset"
dotnet tests/CaseManagement.Benchmarks/bin/Release/net10.0/CaseManagement.Benchmarks.dll --preset "$preset" --out benchmark-results "$@"
