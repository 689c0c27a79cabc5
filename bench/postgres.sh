#!/usr/bin/env bash
# A throw-away PostgreSQL server for the search benchmark (bench/run.sh): never the system's
# cluster, never a port on the network.
#   bench/postgres.sh start DIR   initialises a cluster in DIR (as the postgres user: the server
#                                 refuses to run as root), starts it on a unix socket in DIR,
#                                 creates the database and prints its libpq connection string
#   bench/postgres.sh stop DIR    stops it and removes DIR
# DIR's parent must be open to the postgres user (as /tmp is).
# The packages (postgresql, libpq-dev) come from `scripts/install-deps.sh --bench`.
set -euo pipefail
command=${1:?usage: bench/postgres.sh start|stop DIR}
dir=${2:?usage: bench/postgres.sh start|stop DIR}
port=${BENCH_PG_PORT:-5499}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x "$bin/initdb" ]] || { echo "PostgreSQL is missing: scripts/install-deps.sh --bench" >&2; exit 1; }
as_postgres=()
if [[ $(id -u) -eq 0 ]]; then as_postgres=(runuser -u postgres --); fi

case "$command" in
  start)
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
    "${as_postgres[@]}" "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 --auth=trust >/dev/null
    # Settings a careful deployment of a search workload would use: memory for the GIN index
    # and the GROUP BYs, no JIT for short queries. Durability is off: it does not change
    # query timings, only the load time of this throw-away copy.
    "${as_postgres[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w start \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir' -p $port -c shared_buffers=512MB -c work_mem=64MB -c jit=off -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >/dev/null
    "${as_postgres[@]}" "$bin/createdb" -h "$dir" -p "$port" -U postgres vigie_bench
    echo "host=$dir port=$port user=postgres dbname=vigie_bench"
    ;;
  stop)
    if [[ -f "$dir/data/postmaster.pid" ]]; then "${as_postgres[@]}" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true; fi
    rm -rf "$dir"
    ;;
  *) echo "usage: bench/postgres.sh start|stop DIR" >&2; exit 2 ;;
esac
