#!/usr/bin/env bash
# Where the time of an uncached library search page goes (issue 8): serves DATA_DIR with the
# page cache off, loads /bibliotheque?q=… with wrk rotating through a query list, and samples
# the server with perf (cpu-clock, DWARF call graphs) meanwhile. Prints the inclusive share of
# the page's stages (perf report --children) and the top functions by self time.
#   bench/profile_library.sh BUILD_DIR DATA_DIR [QUERIES_FILE] [OUTPUT_PREFIX]
# DATA_DIR must hold a built index (e.g. the corpus of BENCH_PART=search, kept aside; or
# `vigie setup && vigie demo && vigie_corpus DATA_DIR 100000 && vigie index`).
# Variables: BENCH_PORT (8099), PROFILE_SECONDS (15), PROFILE_FREQUENCY (499 Hz),
# PROFILE_GZIP=on to send Accept-Encoding: gzip as browsers do (compressed per response).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:?usage: bench/profile_library.sh BUILD_DIR DATA_DIR [QUERIES_FILE] [OUTPUT_PREFIX]}
data_dir=${2:?usage: bench/profile_library.sh BUILD_DIR DATA_DIR [QUERIES_FILE] [OUTPUT_PREFIX]}
queries=${3:-bench/queries.txt}
output=${4:-$build_dir/profile-library}
port=${BENCH_PORT:-8099}
seconds=${PROFILE_SECONDS:-15}
command -v perf >/dev/null || { echo "perf is missing: apt-get install linux-perf"; exit 1; }
export VIGIE_RESOURCES_DIR="$PWD" VIGIE_DATA_DIR="$data_dir"
if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
  echo "port $port already answers (another server?): choose another with BENCH_PORT" >&2
  exit 1
fi
VIGIE_PAGE_CACHE=off "$build_dir/vigie" serve --listen "127.0.0.1:$port" > "$output.server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
for _ in $(seq 1200); do grep -q "index de recherche à jour" "$output.server.log" && break; sleep 0.1; done
kill -0 "$server" 2>/dev/null || { echo "the server did not start:" >&2; tail -n 20 "$output.server.log" >&2; exit 1; }
headers=()
[[ "${PROFILE_GZIP:-off}" == on ]] && headers=(-H "Accept-Encoding: gzip")
# wrk runs a little longer than the recording, which starts once the load is steady.
BENCH_QUERIES=$queries wrk -t2 -c64 -d"$(( seconds + 5 ))s" --latency "${headers[@]}" -s bench/search.lua "http://127.0.0.1:$port" > "$output.wrk.txt" &
load=$!
sleep 2
perf record -e cpu-clock -F "${PROFILE_FREQUENCY:-499}" --call-graph dwarf,16384 -p "$server" -o "$output.perf.data" -- sleep "$seconds" 2> "$output.perf.log"
wait "$load"
grep -E 'Requests/sec|50%|99%|requests in' "$output.wrk.txt"
echo "server RSS: $(( $(ps -o rss= -p "$server") / 1024 )) MB"
kill "$server"
wait "$server" 2>/dev/null || true
trap - EXIT
perf report -i "$output.perf.data" --children --stdio --percent-limit 0.5 -g none --sort symbol 2> /dev/null > "$output.children.txt" || true
perf report -i "$output.perf.data" --no-children --stdio --percent-limit 0.5 -g none --sort dso,symbol 2> /dev/null > "$output.self.txt" || true
echo "perf reports: $output.children.txt (inclusive), $output.self.txt (self)"
