#!/usr/bin/env bash
# A throw-away PostgreSQL server, for the tests (scripts/run-tests.sh) and the search benchmark
# (bench/run.sh): never the system's cluster, never a port on the network.
#   scripts/postgres.sh start DIR [DBNAME]   initialises a cluster in DIR (as the postgres user:
#                                            the server refuses to run as root), starts it on a
#                                            unix socket in DIR only, creates DBNAME (default
#                                            vigie) and prints its libpq connection string
#   scripts/postgres.sh stop DIR             stops it and removes DIR
# DIR's parent must be open to the postgres user (as /tmp is). The socket lives in DIR, which
# no other server uses, so the port number only names the socket file: it never collides.
# PG_SHARED_BUFFERS sets shared_buffers (default 128MB; the benchmark asks for 512MB).
# The packages (postgresql, libpq-dev) come from `scripts/install-deps.sh --test`.
set -euo pipefail
command=${1:?usage: scripts/postgres.sh start|stop DIR [DBNAME]}
dir=${2:?usage: scripts/postgres.sh start|stop DIR [DBNAME]}
dbname=${3:-vigie}
dir=$(realpath -m "$dir")
# The postgres user may not enter the caller's directory (a clone under a private temporary
# directory): run from one it can.
cd /
port=5432
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x "$bin/initdb" ]] || { echo "PostgreSQL is missing: scripts/install-deps.sh --test" >&2; exit 1; }
as_postgres=()
if [[ $(id -u) -eq 0 ]]; then as_postgres=(runuser -u postgres --); fi

case "$command" in
  start)
    mkdir -p "$dir"
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
    "${as_postgres[@]}" "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 --auth=trust >/dev/null
    # Durability is off: a throw-away copy; it changes write timings, not query plans. No JIT
    # for short queries; memory for GIN indexes and GROUP BYs.
    "${as_postgres[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir' -p $port -c shared_buffers=${PG_SHARED_BUFFERS:-128MB} -c work_mem=64MB -c jit=off -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" >/dev/null
    "${as_postgres[@]}" "$bin/createdb" -h "$dir" -p "$port" -U postgres "$dbname"
    echo "host=$dir port=$port user=postgres dbname=$dbname"
    ;;
  stop)
    if [[ -f "$dir/data/postmaster.pid" ]]; then "${as_postgres[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true; fi
    rm -rf "$dir"
    ;;
  *) echo "usage: scripts/postgres.sh start|stop DIR [DBNAME]" >&2; exit 2 ;;
esac
