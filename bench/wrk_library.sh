#!/usr/bin/env bash
# Uncached library search pages per second, and the server's CPU time per page, for one or more
# server binaries in turn on the same data (for back-to-back comparisons on a shared machine).
# Each binary serves DATA_DIR with the page cache off; wrk (2 threads, BENCH_CONNECTIONS
# connections) rotates through the query list (bench/search.lua): a warm-up of BENCH_WARMUP
# seconds, then BENCH_DURATION seconds measured. The server's CPU time is read from
# /proc/PID/stat around the measured run, so that a figure on a loaded machine still says
# what a page costs; the load average is printed before each run.
#   bench/wrk_library.sh DATA_DIR QUERIES_FILE VIGIE_BINARY...
# Variables: BENCH_PORT (8098), BENCH_CONNECTIONS (16), BENCH_WARMUP (5), BENCH_DURATION (15),
# BENCH_ROUNDS (1: each binary once; 2: A B A B…).
set -euo pipefail
cd "$(dirname "$0")/.."
usage="usage: bench/wrk_library.sh DATA_DIR QUERIES_FILE VIGIE_BINARY..."
data_dir=${1:?$usage}
queries=${2:?$usage}
shift 2
(( $# > 0 )) || { echo "$usage" >&2; exit 1; }
port=${BENCH_PORT:-8098}
connections=${BENCH_CONNECTIONS:-16}
warmup=${BENCH_WARMUP:-5}
duration=${BENCH_DURATION:-15}
rounds=${BENCH_ROUNDS:-1}
ticks=$(getconf CLK_TCK)
export VIGIE_RESOURCES_DIR="$PWD" VIGIE_DATA_DIR="$data_dir"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

measure() {
  local binary=$1 log
  log=$(mktemp)
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    echo "port $port already answers (another server?): choose another with BENCH_PORT" >&2
    exit 1
  fi
  VIGIE_PAGE_CACHE=off "$binary" serve --listen "127.0.0.1:$port" > "$log" 2>&1 &
  local server=$!
  trap 'kill "$server" 2>/dev/null || true' EXIT
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  for _ in $(seq 1200); do grep -q "index de recherche à jour" "$log" && break; sleep 0.1; done
  kill -0 "$server" 2>/dev/null || { echo "the server did not start:" >&2; tail -n 20 "$log" >&2; exit 1; }
  BENCH_QUERIES=$queries wrk -t2 -c"$connections" -d"${warmup}s" -s bench/search.lua "http://127.0.0.1:$port" > /dev/null
  local load before after result
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  before=$(cpu_ticks "$server")
  result=$(BENCH_QUERIES=$queries wrk -t2 -c"$connections" -d"${duration}s" --latency -s bench/search.lua "http://127.0.0.1:$port")
  after=$(cpu_ticks "$server")
  kill "$server"
  wait "$server" 2>/dev/null || true
  trap - EXIT
  rm -f "$log"
  local requests rate p50
  requests=$(awk '/requests in/ {print $1}' <<< "$result")
  rate=$(awk '/Requests\/sec/ {print $2}' <<< "$result")
  p50=$(awk '$1 == "50%" {print $2}' <<< "$result")
  awk -v b="$binary" -v r="$rate" -v n="$requests" -v t=$(( after - before )) -v hz="$ticks" -v l="$load" -v p="$p50" \
    'BEGIN { printf "%s: %s pages/s, p50 %s, server CPU %.2f ms a page (%d pages), load %s\n", b, r, p, 1000 * t / hz / n, n, l }'
  if grep -q "Non-2xx" <<< "$result"; then grep "Non-2xx" <<< "$result"; fi
}

for (( round = 0; round < rounds; ++round )); do
  for binary in "$@"; do measure "$binary"; done
done
