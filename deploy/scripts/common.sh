# Shared helpers of run.sh and test.sh (sourced, not executed).
# Installs what the project needs on a fresh Debian machine when running as root; otherwise prints
# the exact command to run.

cm_log() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
cm_die() { printf 'Fehler: %s\n' "$*" >&2; exit 1; }

cm_apt_install() {
  if [ "$(id -u)" -ne 0 ]; then
    cm_die "Bitte installieren: sudo apt-get update && sudo apt-get install -y $*"
  fi
  cm_log "Installiere $* (apt-get)"
  if [ -z "${CM_APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 || cm_die "apt-get update ist fehlgeschlagen"
    CM_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2 \
    || cm_die "apt-get install $* ist fehlgeschlagen"
}

cm_require_dotnet() {
  command -v dotnet >/dev/null 2>&1 \
    || cm_die "Das .NET SDK 10 fehlt. Installation: https://learn.microsoft.com/dotnet/core/install/linux-debian"
  local version
  version="$(dotnet --version 2>/dev/null || true)"
  case "$version" in
    10.*) ;;
    *) cm_die "Gefunden wurde .NET SDK '${version:-unbekannt}', gebraucht wird 10.0.x (siehe global.json)." ;;
  esac
}

# Directory with initdb/pg_ctl/postgres of the newest installed PostgreSQL, or empty.
cm_pg_bindir() {
  local dir
  if [ -n "${PG_BINDIR:-}" ] && [ -x "$PG_BINDIR/initdb" ]; then echo "$PG_BINDIR"; return; fi
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v initdb)")"; fi
}

cm_require_postgres() {
  if [ -z "$(cm_pg_bindir)" ]; then
    cm_apt_install postgresql
  fi
  [ -n "$(cm_pg_bindir)" ] || cm_die "PostgreSQL-Programme (initdb, pg_ctl) nicht gefunden."
  # PostgreSQL refuses to run as root: the cluster runs as an unprivileged user.
  if [ "$(id -u)" -eq 0 ] && ! id -u postgres >/dev/null 2>&1; then
    cm_log "Lege den Systembenutzer 'postgres' an"
    useradd --system --home-dir /var/lib/postgresql --shell /usr/sbin/nologin postgres
  fi
}

cm_require_chromium() {
  if [ -x /usr/bin/chromium ]; then return; fi
  cm_apt_install chromium
}

# Runs a command as the cluster's OS user: ourselves, or 'postgres' when we are root (from /, because
# that user may not be allowed into the current directory).
cm_as_pg_user() {
  if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# Starts (creating on first use) the private cluster for run.sh under .data/ and exports
# ConnectionStrings__Postgres. Listens on 127.0.0.1 only. Stopped again by cm_stop_local_cluster.
cm_start_local_cluster() {
  local root="$1" bindir port password pgdata
  bindir="$(cm_pg_bindir)"
  mkdir -p "$root"
  pgdata="$root/pg"

  # The unprivileged user must be able to reach the data directory; if the checkout lies below a
  # private home directory, keep the cluster in /var/tmp and link it.
  if [ "$(id -u)" -eq 0 ] && [ ! -e "$pgdata" ] && ! runuser -u postgres -- test -x "$root"; then
    local elsewhere="/var/tmp/casemanagement-$(printf '%s' "$(readlink -f "$root")" | sha256sum | cut -c1-12)"
    mkdir -p "$elsewhere/pg"
    ln -s "$elsewhere/pg" "$pgdata"
  fi
  # Work on the real path: the link itself lies where the unprivileged user cannot go.
  mkdir -p "$pgdata"
  pgdata="$(readlink -f "$pgdata")"

  if [ ! -f "$root/pg-password" ]; then
    (umask 077; head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$root/pg-password")
  fi
  password="$(cat "$root/pg-password")"

  if [ ! -f "$pgdata/PG_VERSION" ]; then
    cm_log "Lege die lokale PostgreSQL-Datenbank an ($pgdata)"
    local pwfile; pwfile="$(mktemp)"
    printf '%s\n' "$password" > "$pwfile"
    if [ "$(id -u)" -eq 0 ]; then chown -R postgres: "$pgdata" "$pwfile"; fi
    chmod 700 "$pgdata"
    cm_as_pg_user "$bindir/initdb" -D "$pgdata" -U postgres --auth=scram-sha-256 --pwfile="$pwfile" \
      --encoding=UTF8 --locale=C.UTF-8 >"$root/initdb.log" 2>&1 \
      || { rm -f "$pwfile"; cat "$root/initdb.log" >&2; cm_die "initdb ist fehlgeschlagen"; }
    rm -f "$pwfile"
  fi

  port="${CM_PG_PORT:-55432}"
  if cm_as_pg_user "$bindir/pg_ctl" -D "$pgdata" status >/dev/null 2>&1; then
    cm_log "Lokale PostgreSQL läuft bereits – wird neu gestartet"
    cm_as_pg_user "$bindir/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null
  fi
  cm_log "Starte lokale PostgreSQL auf 127.0.0.1:$port"
  cm_as_pg_user "$bindir/pg_ctl" -D "$pgdata" -w -t 60 -l "$pgdata/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $pgdata" start >/dev/null \
    || { tail -n 20 "$pgdata/server.log" >&2; cm_die "PostgreSQL konnte nicht starten (Port $port belegt? CM_PG_PORT setzen)"; }
  CM_LOCAL_PGDATA="$pgdata"
  export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$port;Database=casemanagement;Username=postgres;Password=$password"
}

cm_stop_local_cluster() {
  if [ -n "${CM_LOCAL_PGDATA:-}" ]; then
    cm_log "Stoppe lokale PostgreSQL"
    cm_as_pg_user "$(cm_pg_bindir)/pg_ctl" -D "$CM_LOCAL_PGDATA" -m fast -w stop >/dev/null 2>&1 || true
    CM_LOCAL_PGDATA=""
  fi
}
