#!/usr/bin/env bash
# A throwaway local PostgreSQL for tests and benchmarks.
#
#   scripts/local_postgres.sh          start one (or reuse the running one) and print its DATABASE_URL
#   scripts/local_postgres.sh status   exit 0 if it is running (prints the URL), 1 if not
#   scripts/local_postgres.sh stop     stop it (the data directory is kept for next time)
#   scripts/local_postgres.sh destroy  stop it and delete its data directory
#
# When DATABASE_URL already names a PostgreSQL database, that URL is printed and
# nothing is started. Otherwise the PostgreSQL server binaries are found under
# /usr/lib/postgresql/*/bin (installed with apt-get when missing and running as
# root), a cluster with trust authentication on 127.0.0.1 only is made in
# $LOS_PG_DIR (default: a directory in /tmp named after this checkout), started
# on a free port (LOS_PG_PORT, default 54329), and database $LOS_PG_DB
# (default lineofsight) is created. Only the URL goes to stdout; progress to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

ACTION="${1:-start}"
case "$ACTION" in start | status | stop | destroy) ;; *) die "usage: $0 [start|status|stop|destroy]" ;; esac

if [ "$ACTION" = start ]; then
    case "${DATABASE_URL:-}" in
        postgres://* | postgresql://* | pgsql://*) printf '%s\n' "$DATABASE_URL"; exit 0 ;;
    esac
fi

REPO="$(pwd -P)"
DB="${LOS_PG_DB:-lineofsight}"
# Per-checkout directory outside the repository, so that the postgres user can
# reach it whatever the permissions on the checkout's parent directories.
DIR="${LOS_PG_DIR:-${TMPDIR:-/tmp}/lineofsight-pg-$(printf '%s' "$REPO" | sha256sum | cut -c1-10)}"
DATA="$DIR/data"
PORT_FILE="$DIR/port"
LOG="$DIR/server.log"

find_bindir() {
    local d
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [ -n "$d" ] && [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then printf '%s\n' "$d"; return 0; fi
    if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v pg_ctl)")"; return 0
    fi
    return 1
}

BIN="$(find_bindir || true)"
if [ -z "$BIN" ]; then
    [ "$ACTION" = start ] || { [ "$ACTION" = status ] && exit 1; exit 0; }
    if [ "$(id -u)" -ne 0 ]; then
        die "PostgreSQL server is not installed. Install it (Debian: sudo apt-get install postgresql) or set TEST_POSTGRES_URL / DATABASE_URL."
    fi
    say "Installing PostgreSQL with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    apt-get install -y -q --no-install-recommends postgresql >&2
    BIN="$(find_bindir)" || die "PostgreSQL was installed but its server binaries were not found"
fi

# initdb and postgres refuse to run as root: run them as the postgres user.
if [ "$(id -u)" -eq 0 ]; then
    if ! id -u postgres >/dev/null 2>&1; then
        useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    as_owner() { runuser -u postgres -- "$@"; }
else
    as_owner() { "$@"; }
fi

running() {
    [ -f "$DATA/PG_VERSION" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

url() { printf 'postgres://postgres@127.0.0.1:%s/%s\n' "$(cat "$PORT_FILE")" "$DB"; }

case "$ACTION" in
    status)
        if running; then url; exit 0; fi
        exit 1 ;;
    stop | destroy)
        if running; then
            say "Stopping local PostgreSQL in $DIR"
            as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2
        fi
        if [ "$ACTION" = destroy ]; then rm -rf "$DIR"; fi
        exit 0 ;;
esac

port_free() {
    python3 - "$1" <<'PY'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as PostgreSQL does; ignores TIME_WAIT
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
}

if ! running; then
    mkdir -p "$DIR"
    chmod 700 "$DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$DIR"
    if [ ! -f "$DATA/PG_VERSION" ]; then
        say "Creating a throwaway PostgreSQL cluster ($("$BIN/postgres" --version)) in $DATA"
        rm -rf "$DATA"
        as_owner "$BIN/initdb" -D "$DATA" --username=postgres --auth=trust --encoding=UTF8 --no-locale \
            --no-sync >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; die "initdb failed"; }
    fi
    # A stale pid file from a crash would stop the server starting.
    rm -f "$DATA/postmaster.pid"
    port="${LOS_PG_PORT:-54329}"
    tries=0
    until port_free "$port"; do
        tries=$((tries + 1))
        [ "$tries" -lt 50 ] || die "no free port found from ${LOS_PG_PORT:-54329}"
        port=$((port + 1))
    done
    printf '%s\n' "$port" > "$PORT_FILE"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$PORT_FILE"
    # Durability is pointless for a throwaway cluster; speed is not.
    say "Starting local PostgreSQL on 127.0.0.1:$port"
    as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start -o \
        "-p $port -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" \
        >&2 || { tail -n 30 "$LOG" >&2 || true; die "PostgreSQL did not start"; }
fi

port="$(cat "$PORT_FILE")"
for _ in $(seq 1 60); do
    if "$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres; then break; fi
    sleep 0.5
done
"$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres || die "PostgreSQL on port $port is not accepting connections"

exists="$("$BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")"
if [ "$exists" != 1 ]; then
    say "Creating database $DB"
    "$BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres "$DB" >&2
fi
url
