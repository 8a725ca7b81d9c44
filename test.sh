#!/usr/bin/env bash
# Runs the whole test suite. The tests start their own throwaway PostgreSQL (Testcontainers when a
# Docker engine answers, otherwise a local cluster from the PostgreSQL binaries) and Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")"
. deploy/scripts/common.sh

cm_require_dotnet
cm_require_postgres
cm_require_chromium
# The fault drills (Operations/ClusterFaultTests) start the topology of deploy/scripts/cluster.sh with HAProxy.
command -v haproxy >/dev/null 2>&1 || cm_apt_install haproxy
cm_require_openapi_tools

dotnet test CaseManagement.sln --nologo "$@"
