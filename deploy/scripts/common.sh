# Shared helpers of run.sh and test.sh (sourced, not executed).
# Installs what the project needs on a fresh Debian machine when running as root; otherwise prints
# the exact command to run.

CM_SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

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

# The npm tools of the API contract tests (Spectral, Redocly, openapi-typescript, TypeScript): installed from
# tools/openapi/package-lock.json into tools/openapi/node_modules, again only when the lock file changed.
cm_require_openapi_tools() {
  local dir="$CM_SCRIPTS_DIR/../../tools/openapi" stamp
  command -v npm >/dev/null 2>&1 || cm_apt_install nodejs npm
  stamp="$dir/node_modules/.package-lock.sha256"
  if [ -f "$stamp" ] && sha256sum --status -c "$stamp" 2>/dev/null; then return; fi
  cm_log "Installiere die OpenAPI-Werkzeuge (npm ci in tools/openapi)"
  (cd "$dir" && SCARF_ANALYTICS=false npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2) \
    || cm_die "npm ci in tools/openapi ist fehlgeschlagen (npm-Registry nicht erreichbar?). Die API-Vertragstests brauchen diese Werkzeuge."
  (cd "$dir" && sha256sum package-lock.json > node_modules/.package-lock.sha256)
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

# A random password kept in a file readable only by us (created on first use).
cm_secret() {
  if [ ! -f "$1" ]; then
    (umask 077; head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$1")
  fi
  cat "$1"
}

# The private cluster's roles (docs/operations.md): the superuser 'postgres' only administers the cluster,
# casemanagement_owner owns the databases and every schema object (migrate, rebuild-projections),
# casemanagement_app is what the application connects as: it owns nothing and may only read and write rows.
# Databases that the superuser still owns (created before there were two roles) are handed to the owner.
cm_ensure_roles() {
  local bindir="$1" port="$2" superuser_password="$3" owner_password="$4" app_password="$5" database
  local psql=("$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
  PGPASSWORD="$superuser_password" "${psql[@]}" -d postgres -v owner_pw="$owner_password" -v app_pw="$app_password" >/dev/null <<'SQL' \
    || cm_die "Die Datenbankrollen konnten nicht angelegt werden"
SELECT 'CREATE ROLE casemanagement_owner' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'casemanagement_owner') \gexec
SELECT 'CREATE ROLE casemanagement_app' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'casemanagement_app') \gexec
ALTER ROLE casemanagement_owner WITH LOGIN CREATEDB NOSUPERUSER NOCREATEROLE PASSWORD :'owner_pw';
ALTER ROLE casemanagement_app WITH LOGIN NOCREATEDB NOSUPERUSER NOCREATEROLE PASSWORD :'app_pw';
SQL
  for database in $(PGPASSWORD="$superuser_password" "${psql[@]}" -d postgres -At -c \
      "SELECT datname FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = 'postgres') AND datname NOT IN ('postgres', 'template0', 'template1')"); do
    cm_log "Übergebe die Datenbank $database an die Eigentümerrolle casemanagement_owner"
    PGPASSWORD="$superuser_password" "${psql[@]}" -d "$database" -v owner=casemanagement_owner \
      -f "$CM_SCRIPTS_DIR/transfer-ownership.sql" >/dev/null \
      || cm_die "Die Datenbank $database konnte nicht an casemanagement_owner übergeben werden"
  done
}

# Starts (creating on first use) the private cluster for run.sh under .data/ and exports
# ConnectionStrings__Postgres (the application's role) and ConnectionStrings__PostgresOwner (the owner, for
# migrate and rebuild-projections). Listens on 127.0.0.1 only; CM_PG_OPTIONS adds server settings
# (e.g. "-c max_connections=300"). Stopped again by cm_stop_local_cluster.
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

  password="$(cm_secret "$root/pg-password")"

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
    -o "-c listen_addresses=127.0.0.1 -p $port -k $pgdata ${CM_PG_OPTIONS:-}" start >/dev/null \
    || { tail -n 20 "$pgdata/server.log" >&2; cm_die "PostgreSQL konnte nicht starten (Port $port belegt? CM_PG_PORT setzen)"; }
  CM_LOCAL_PGDATA="$pgdata"
  local owner_password app_password
  owner_password="$(cm_secret "$root/pg-owner-password")"
  app_password="$(cm_secret "$root/pg-app-password")"
  cm_ensure_roles "$bindir" "$port" "$password" "$owner_password" "$app_password"
  export ConnectionStrings__PostgresOwner="Host=127.0.0.1;Port=$port;Database=casemanagement;Username=casemanagement_owner;Password=$owner_password"
  export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$port;Database=casemanagement;Username=casemanagement_app;Password=$app_password"
}

# The certificate that encrypts the data-protection key ring (docs/operations.md): made once under .data/ by the
# application's verb create-certificate, with a random password kept next to it. Exports the two settings.
cm_key_ring_certificate() {
  local root="$1" dll="$2"
  mkdir -p "$root"
  export DataProtection__Certificate__Path="$(readlink -f "$root")/dataprotection.pfx"
  export DataProtection__Certificate__Password="$(cm_secret "$root/dataprotection-password")"
  if [ ! -f "$DataProtection__Certificate__Path" ]; then
    cm_log "Erzeuge das Zertifikat für den Schlüsselbund ($DataProtection__Certificate__Path)"
    dotnet "$dll" create-certificate "$DataProtection__Certificate__Path" >/dev/null \
      || cm_die "Das Zertifikat für den Schlüsselbund konnte nicht erzeugt werden"
  fi
}

cm_stop_local_cluster() {
  if [ -n "${CM_LOCAL_PGDATA:-}" ]; then
    cm_log "Stoppe lokale PostgreSQL"
    cm_as_pg_user "$(cm_pg_bindir)/pg_ctl" -D "$CM_LOCAL_PGDATA" -m fast -w stop >/dev/null 2>&1 || true
    CM_LOCAL_PGDATA=""
  fi
}
