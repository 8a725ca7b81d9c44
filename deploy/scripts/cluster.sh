#!/usr/bin/env bash
# A multi-node installation on one machine (README "Betrieb", docs/operations.md):
#   PostgreSQL (private cluster) ← HAProxy (deploy/haproxy/haproxy.cfg, health checks on /health/ready)
#   → two web nodes (Hangfire__Server=false) and one worker node (--role worker), each its own process, port and log.
#
#   deploy/scripts/cluster.sh up        start everything (builds the application unless CM_APP_DLL is given)
#   deploy/scripts/cluster.sh status    each process and HAProxy's view of the web nodes
#   deploy/scripts/cluster.sh down      stop everything
#   deploy/scripts/cluster.sh start <web1|web2|worker|worker2|haproxy>   (re)start one process, e.g. after it was
#                                       killed; worker2 is a second worker (not started by up)
#   deploy/scripts/cluster.sh stop <…>  stop one process
#
# Settings (environment): CM_CLUSTER_DIR (default .data/cluster: database, logs, pid files, secrets),
# CM_CLUSTER_PORT (HAProxy, default 5180; the nodes take the next three ports, the statistics page +9),
# CM_PG_PORT (default 55442), CM_APP_DLL (a built CaseManagement.Web.dll instead of publishing one),
# CM_CLUSTER_ENVIRONMENT (default Production), CM_ALLOWED_HOSTS (default localhost;127.0.0.1),
# CM_CLUSTER_SEED_DEMO=1 (demo data; not in Production), CM_NODE_SETTINGS (extra KEY=VALUE settings for every node).
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$repo/deploy/scripts/common.sh"

dir="$(mkdir -p "${CM_CLUSTER_DIR:-$repo/.data/cluster}" && cd "${CM_CLUSTER_DIR:-$repo/.data/cluster}" && pwd)"
base_port="${CM_CLUSTER_PORT:-5180}"
export CM_PG_PORT="${CM_PG_PORT:-55442}"
run="$dir/run"
logs="$dir/logs"
mkdir -p "$run" "$logs"

node_port() {
  case "$1" in
    web1) echo $((base_port + 1)) ;;
    web2) echo $((base_port + 2)) ;;
    worker) echo $((base_port + 3)) ;;
    worker2) echo $((base_port + 4)) ;; # a second worker, only on request (start worker2)
    *) cm_die "Unbekannter Knoten '$1' (web1, web2, worker, worker2, haproxy)" ;;
  esac
}

pid_of() { [ -f "$run/$1.pid" ] && cat "$run/$1.pid" || true; }
alive() { local pid; pid="$(pid_of "$1")"; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

# Waits until http://127.0.0.1:<port><path> answers 200 (or the process died / the time is up).
wait_ready() {
  local name="$1" url="$2" seconds="${3:-120}" i
  for ((i = 0; i < seconds * 4; i++)); do
    if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then return 0; fi
    if [ "$name" != "-" ] && ! alive "$name"; then
      tail -n 30 "$logs/$name.log" >&2 || true
      cm_die "$name ist beim Start beendet worden (Log: $logs/$name.log)"
    fi
    sleep 0.25
  done
  cm_die "$name antwortet nicht auf $url (Log: $logs/$name.log)"
}

app_dll() {
  if [ -n "${CM_APP_DLL:-}" ]; then
    readlink -f "$CM_APP_DLL"
    return
  fi
  if [ ! -f "$dir/app/CaseManagement.Web.dll" ] || [ -n "$(find "$repo/src" -newer "$dir/app/CaseManagement.Web.dll" -type f -print -quit)" ]; then
    cm_log "Veröffentliche die Anwendung nach $dir/app (Release)"
    dotnet publish "$repo/src/CaseManagement.Web/CaseManagement.Web.csproj" -c Release -o "$dir/app" --nologo -v quiet -clp:ErrorsOnly >&2
  fi
  echo "$dir/app/CaseManagement.Web.dll"
}

# The settings every node gets (the application's role only, never the owner's password), written once by `up`.
write_node_env() {
  local dll="$1"
  (umask 077; cat > "$run/node.env" <<EOF
CM_APP_DLL_PATH=$dll
ASPNETCORE_ENVIRONMENT=${CM_CLUSTER_ENVIRONMENT:-Production}
ConnectionStrings__Postgres=$ConnectionStrings__Postgres
DataProtection__Certificate__Path=$DataProtection__Certificate__Path
DataProtection__Certificate__Password=$DataProtection__Certificate__Password
AllowedHosts=${CM_ALLOWED_HOSTS:-localhost;127.0.0.1}
ForwardedHeaders__KnownProxies__0=127.0.0.1
Database__MigrationsPath=$repo/migrations
EOF
  )
  local setting
  for setting in ${CM_NODE_SETTINGS:-}; do echo "$setting" >> "$run/node.env"; done
}

start_node() {
  local name="$1" port role_args=() extra=()
  [ -f "$run/node.env" ] || cm_die "Noch nicht eingerichtet: zuerst 'cluster.sh up'"
  if alive "$name"; then cm_log "$name läuft schon (PID $(pid_of "$name"))"; return; fi
  port="$(node_port "$name")"
  if [ "${name#worker}" != "$name" ]; then role_args=(--role worker); else extra=(Hangfire__Server=false); fi
  local dll; dll="$(sed -n 's/^CM_APP_DLL_PATH=//p' "$run/node.env")"
  # A process of its own session: it outlives this script, and kill -9 of its PID hits the node itself.
  local settings=() line
  while IFS= read -r line; do [ -n "$line" ] && settings+=("$line"); done < "$run/node.env"
  (
    cd "$dir"
    exec env -u ConnectionStrings__PostgresOwner "${settings[@]}" ASPNETCORE_URLS="http://127.0.0.1:$port" "${extra[@]}" \
      setsid dotnet "$dll" "${role_args[@]}" >>"$logs/$name.log" 2>&1 </dev/null
  ) &
  echo $! > "$run/$name.pid"
  cm_log "$name gestartet (PID $!, http://127.0.0.1:$port, Log $logs/$name.log)"
}

haproxy_env() {
  export CM_HTTP_BIND="127.0.0.1:$base_port" CM_STATS_BIND="127.0.0.1:$((base_port + 9))"
  export CM_WEB1="127.0.0.1:$(node_port web1)" CM_WEB2="127.0.0.1:$(node_port web2)" CM_HEALTH_HOST=localhost
}

start_haproxy() {
  if alive haproxy; then cm_log "HAProxy läuft schon"; return; fi
  command -v haproxy >/dev/null 2>&1 || cm_apt_install haproxy
  haproxy_env
  haproxy -c -q -f "$repo/deploy/haproxy/haproxy.cfg" || cm_die "deploy/haproxy/haproxy.cfg ist ungültig"
  setsid haproxy -db -f "$repo/deploy/haproxy/haproxy.cfg" >>"$logs/haproxy.log" 2>&1 </dev/null &
  echo $! > "$run/haproxy.pid"
  cm_log "HAProxy gestartet (PID $!, http://127.0.0.1:$base_port, Statistik http://127.0.0.1:$((base_port + 9))/stats)"
}

stop_process() {
  local name="$1" pid i
  pid="$(pid_of "$name")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 60 && $(kill -0 "$pid" 2>/dev/null && echo 1 || echo 0); i++)); do sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    cm_log "$name gestoppt"
  fi
  rm -f "$run/$name.pid"
}

pgdata() { readlink -f "$dir/pg"; }

cmd_up() {
  cm_require_dotnet
  cm_require_postgres
  command -v haproxy >/dev/null 2>&1 || cm_apt_install haproxy
  # Three nodes with their connection pools, the async daemon's leader and Hangfire's workers.
  export CM_PG_OPTIONS="${CM_PG_OPTIONS:--c max_connections=300}"
  cm_start_local_cluster "$dir"
  echo "$CM_LOCAL_PGDATA" > "$run/pgdata"
  local dll; dll="$(app_dll)"
  # One certificate for all nodes: the key ring in the database is encrypted with it, so a cookie or an antiforgery
  # token made by one node is read by every other.
  cm_key_ring_certificate "$dir" "$dll"
  cm_log "Wende Migrationen an (als Eigentümerrolle)"
  (cd "$dir" && ASPNETCORE_ENVIRONMENT="${CM_CLUSTER_ENVIRONMENT:-Production}" Database__MigrationsPath="$repo/migrations" \
    dotnet "$dll" migrate >>"$logs/migrate.log" 2>&1) || { tail -n 20 "$logs/migrate.log" >&2; cm_die "migrate ist fehlgeschlagen"; }
  if [ -n "${CM_CLUSTER_SEED_DEMO:-}" ]; then
    cm_log "Lege Demodaten an"
    (cd "$dir" && env -u ConnectionStrings__PostgresOwner ASPNETCORE_ENVIRONMENT="${CM_CLUSTER_ENVIRONMENT:-Production}" \
      dotnet "$dll" seed-demo >>"$logs/seed-demo.log" 2>&1) || { tail -n 20 "$logs/seed-demo.log" >&2; cm_die "seed-demo ist fehlgeschlagen"; }
  fi
  write_node_env "$dll"
  local name
  for name in web1 web2 worker; do start_node "$name"; done
  for name in web1 web2 worker; do wait_ready "$name" "http://127.0.0.1:$(node_port "$name")/health/ready"; done
  start_haproxy
  wait_ready haproxy "http://127.0.0.1:$base_port/health/ready" 30
  cm_log "Bereit: http://localhost:$base_port"
}

cmd_status() {
  local name pid state
  printf '%-10s %-8s %-7s %s\n' PROZESS PID LÄUFT ADRESSE
  for name in postgres web1 web2 worker haproxy; do
    case "$name" in
      postgres)
        pid=""; state=nein
        if [ -f "$run/pgdata" ] && [ -f "$(cat "$run/pgdata")/postmaster.pid" ]; then
          pid="$(head -n 1 "$(cat "$run/pgdata")/postmaster.pid")"
          kill -0 "$pid" 2>/dev/null && state=ja
        fi
        printf '%-10s %-8s %-7s %s\n' "$name" "${pid:--}" "$state" "127.0.0.1:$CM_PG_PORT" ;;
      haproxy)
        pid="$(pid_of "$name")"; alive "$name" && state=ja || state=nein
        printf '%-10s %-8s %-7s %s\n' "$name" "${pid:--}" "$state" "http://127.0.0.1:$base_port (Statistik :$((base_port + 9))/stats)" ;;
      *)
        pid="$(pid_of "$name")"; alive "$name" && state=ja || state=nein
        local ready
        ready="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$(node_port "$name")/health/ready" 2>/dev/null || true)"
        printf '%-10s %-8s %-7s %s\n' "$name" "${pid:--}" "$state" "http://127.0.0.1:$(node_port "$name") (/health/ready: ${ready:-keine Antwort})" ;;
    esac
  done
  echo
  echo "HAProxy – Sicht auf die Webknoten:"
  curl -fsS --max-time 2 "http://127.0.0.1:$((base_port + 9))/stats;csv" 2>/dev/null \
    | awk -F, 'NR > 1 && $1 == "web" && $2 != "BACKEND" { printf "  %-6s %-6s %s\n", $2, $18, $37 }' \
    || echo "  (HAProxy antwortet nicht)"
}

cmd_down() {
  local name
  for name in haproxy web1 web2 worker worker2; do stop_process "$name"; done
  if [ -f "$run/pgdata" ]; then
    CM_LOCAL_PGDATA="$(cat "$run/pgdata")"
    cm_stop_local_cluster
    rm -f "$run/pgdata"
  fi
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  start)
    [ -n "${2:-}" ] || cm_die "Aufruf: cluster.sh start <web1|web2|worker|haproxy>"
    if [ "$2" = haproxy ]; then start_haproxy; else start_node "$2"; wait_ready "$2" "http://127.0.0.1:$(node_port "$2")/health/ready"; fi ;;
  stop)
    [ -n "${2:-}" ] || cm_die "Aufruf: cluster.sh stop <web1|web2|worker|haproxy>"
    stop_process "$2" ;;
  *) echo "Aufruf: deploy/scripts/cluster.sh up|down|status|start <knoten>|stop <knoten>" >&2; exit 2 ;;
esac
