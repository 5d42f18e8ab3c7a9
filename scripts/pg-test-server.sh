#!/usr/bin/env bash
# pg-test-server.sh - a private PostgreSQL cluster for landport's tests.
#
#   pg-test-server.sh start DIR   initdb (once), start on a free loopback port,
#                                 create role and database "landport" and write
#                                 postgresql://landport@127.0.0.1:PORT/landport
#                                 to DIR/url.  Reuses a healthy running cluster.
#   pg-test-server.sh stop DIR    stop the cluster (fast) and remove DIR.
#
# Trust authentication, loopback only.  As root the server runs as the
# "postgres" system user (PostgreSQL refuses to run as root).  When that user
# cannot reach DIR, or DIR is too deep for a Unix socket path, the cluster
# lives in a private directory under /tmp named in DIR/cluster.  Used by the
# ctest fixture "pg" (tests/CMakeLists.txt).
set -euo pipefail

WAIT_SECONDS=30
MARKER=.landport-pgtest

die() {
    echo "pg-test-server: $*" >&2
    exit 1
}

usage() {
    echo "usage: $0 start DIR | stop DIR" >&2
    exit 2
}

# The directory holding initdb, pg_ctl, postgres, pg_isready and psql.
find_bindir() {
    local d
    if command -v pg_config >/dev/null 2>&1; then
        d=$(pg_config --bindir 2>/dev/null || true)
        if [[ -n $d && -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]]; then
            echo "$d"
            return
        fi
    fi
    # Debian installs each major version side by side; take the newest.
    for d in $(printf "%s\n" /usr/lib/postgresql/*/bin | sort -V -r); do
        if [[ -x $d/initdb && -x $d/pg_ctl && -x $d/postgres ]]; then
            echo "$d"
            return
        fi
    done
    die "PostgreSQL server binaries (initdb, pg_ctl) not found; run scripts/setup.sh"
}

# Runs a server program as the cluster's owner, from a directory it can read.
as_owner() {
    if [[ $EUID -eq 0 ]]; then
        (cd "$CLUSTER" && runuser -u postgres -- "$@")
    else
        (cd "$CLUSTER" && "$@")
    fi
}

psql_admin() {
    "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$1" -U postgres -d postgres "${@:2}"
}

ready() {
    "$BIN/pg_isready" -q -h 127.0.0.1 -p "$1" -U postgres -d postgres -t 2 >/dev/null 2>&1
}

# Chooses the cluster directory for DIR and records it in DIR/cluster.
choose_cluster() {
    local sock_path="$DIR/sock/.s.PGSQL.65535"
    CLUSTER=$DIR
    if [[ $EUID -eq 0 ]]; then
        chown postgres: "$DIR"
        if ! runuser -u postgres -- test -w "$DIR" -a -x "$DIR"; then
            CLUSTER=""
        fi
    fi
    # sun_path holds 107 bytes.
    if [[ ${#sock_path} -gt 100 || $DIR == *"'"* ]]; then
        CLUSTER=""
    fi
    if [[ -z $CLUSTER ]]; then
        CLUSTER=$(mktemp -d /tmp/landport-pg.XXXXXX)
        if [[ $EUID -eq 0 ]]; then chown postgres: "$CLUSTER"; fi
    fi
    echo "$CLUSTER" >"$DIR/cluster"
}

cluster_of() {
    if [[ -f $DIR/cluster ]]; then
        cat "$DIR/cluster"
    else
        echo "$DIR"
    fi
}

# A loopback TCP port nobody listens on, below Linux's ephemeral range.  A
# race with another process is caught by start_server, which retries.
free_port() {
    local i p
    for ((i = 0; i < 200; i++)); do
        p=$((15000 + RANDOM % 17000))
        if ! timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$p" 2>/dev/null; then
            echo "$p"
            return
        fi
    done
    die "no free TCP port found on 127.0.0.1"
}

init_cluster() {
    rm -rf "$CLUSTER/data" "$CLUSTER/sock" "$CLUSTER/postgres.log"
    if [[ $EUID -eq 0 ]]; then
        install -d -o postgres -g postgres -m 700 "$CLUSTER/sock"
    else
        install -d -m 700 "$CLUSTER/sock"
    fi
    # The server runs with fsync=on; only initdb's own sync is skipped (a
    # crash during initdb just means running start again).
    as_owner "$BIN/initdb" -D "$CLUSTER/data" -U postgres -E UTF8 --locale=C \
        --auth-local=trust --auth-host=trust --no-sync >"$CLUSTER/initdb.log" 2>&1 ||
        die "initdb failed; see $CLUSTER/initdb.log: $(tail -n 5 "$CLUSTER/initdb.log")"
    # Only loopback, whatever initdb's defaults.
    as_owner tee "$CLUSTER/data/pg_hba.conf" >/dev/null <<'EOF'
local all all trust
host all all 127.0.0.1/32 trust
EOF
}

# Starts the server on a free port (retrying when another process takes the
# port first) and waits until it accepts connections.  Sets PORT.
start_server() {
    local attempt t
    for ((attempt = 0; attempt < 5; attempt++)); do
        PORT=$(free_port)
        rm -f "$CLUSTER/postgres.log"
        if as_owner "$BIN/pg_ctl" -D "$CLUSTER/data" -l "$CLUSTER/postgres.log" -w -t "$WAIT_SECONDS" \
            -o "-c listen_addresses=127.0.0.1 -c port=$PORT -k '$CLUSTER/sock' -c fsync=on" \
            start >/dev/null; then
            for ((t = 0; t < WAIT_SECONDS; t++)); do
                ready "$PORT" && return 0
                sleep 1
            done
            die "PostgreSQL started but not ready on port $PORT after ${WAIT_SECONDS}s; see $CLUSTER/postgres.log"
        fi
        if ! grep -q "could not \(create listen socket\|bind\)" "$CLUSTER/postgres.log" 2>/dev/null; then
            break
        fi
        echo "pg-test-server: port $PORT taken, trying another" >&2
    done
    die "PostgreSQL did not start within ${WAIT_SECONDS}s; see $CLUSTER/postgres.log: $(tail -n 5 "$CLUSTER/postgres.log" 2>/dev/null)"
}

# Whether the postmaster named in the pid file is gone.  A postmaster killed
# outright may linger as a zombie where PID 1 reaps nobody (containers); it
# holds no port or files, but pg_ctl takes it for a running server.
postmaster_gone() {
    local pid state
    pid=$(head -n 1 "$CLUSTER/data/postmaster.pid" 2>/dev/null || true)
    [[ $pid =~ ^[0-9]+$ ]] || return 0
    [[ -r /proc/$pid/stat ]] || return 0
    state=$(sed 's/.*) //' "/proc/$pid/stat" | cut -d' ' -f1)
    [[ $state == Z ]]
}

# Stops the cluster's server if one runs; returns 1 if it would not stop.
stop_server() {
    [[ -f $CLUSTER/data/postmaster.pid ]] || return 0
    if ! postmaster_gone; then
        as_owner "$BIN/pg_ctl" -D "$CLUSTER/data" -m fast -w -t "$WAIT_SECONDS" stop >/dev/null 2>&1 ||
            as_owner "$BIN/pg_ctl" -D "$CLUSTER/data" -m immediate -w -t "$WAIT_SECONDS" stop >/dev/null 2>&1 ||
            postmaster_gone || return 1
    fi
    rm -f "$CLUSTER/data/postmaster.pid"
}

ensure_landport() {
    if [[ $(psql_admin "$PORT" -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'landport'") != 1 ]]; then
        psql_admin "$PORT" -c "CREATE ROLE landport SUPERUSER LOGIN"
    fi
    if [[ $(psql_admin "$PORT" -tAc "SELECT 1 FROM pg_database WHERE datname = 'landport'") != 1 ]]; then
        psql_admin "$PORT" -c "CREATE DATABASE landport OWNER landport"
    fi
}

write_url() {
    echo "postgresql://landport@127.0.0.1:$PORT/landport" >"$DIR/url.tmp"
    chmod 644 "$DIR/url.tmp"
    mv -f "$DIR/url.tmp" "$DIR/url"
}

# The port of a healthy running cluster recorded in DIR/url, or nothing.
running_port() {
    local url port
    [[ -f $DIR/url && -f $CLUSTER/data/postmaster.pid ]] || return 0
    url=$(cat "$DIR/url")
    port=${url##*:}
    port=${port%%/*}
    if [[ $port =~ ^[0-9]+$ ]] && as_owner "$BIN/pg_ctl" -D "$CLUSTER/data" status >/dev/null 2>&1 &&
        ready "$port"; then
        echo "$port"
    fi
}

cmd_start() {
    mkdir -p "$1"
    DIR=$(cd "$1" && pwd)
    touch "$DIR/$MARKER"
    if [[ $EUID -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
        die "no 'postgres' system user (it comes with Debian's postgresql package); run scripts/setup.sh"
    fi
    CLUSTER=$(cluster_of)
    if [[ -d $CLUSTER ]]; then
        PORT=$(running_port)
        if [[ -n $PORT ]]; then
            ensure_landport
            echo "pg-test-server: reusing the server on port $PORT ($(cat "$DIR/url"))"
            return 0
        fi
        # Not healthy: stop whatever is left and start from a clean cluster.
        stop_server || die "could not stop the old server in $CLUSTER/data"
        if [[ $CLUSTER != "$DIR" ]]; then rm -rf "$CLUSTER"; fi
    fi
    rm -f "$DIR/url" "$DIR/cluster"
    choose_cluster
    init_cluster
    start_server
    ensure_landport
    write_url
    echo "pg-test-server: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on port $PORT; URL in $DIR/url"
}

cmd_stop() {
    [[ -d $1 ]] || return 0
    DIR=$(cd "$1" && pwd)
    [[ -f $DIR/$MARKER ]] || die "$DIR was not made by '$0 start'; not removing it"
    CLUSTER=$(cluster_of)
    if [[ -d $CLUSTER ]]; then
        stop_server || die "could not stop the server in $CLUSTER/data (not removing $DIR)"
        if [[ $CLUSTER != "$DIR" ]]; then rm -rf "$CLUSTER"; fi
    fi
    rm -rf "$DIR"
}

[[ $# -eq 2 && -n $2 ]] || usage
BIN=$(find_bindir)
case $1 in
start) cmd_start "$2" ;;
stop) cmd_stop "$2" ;;
*) usage ;;
esac
