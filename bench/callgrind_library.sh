#!/usr/bin/env bash
# Instructions an uncached library search page costs, counted by callgrind (independent of the
# machine's load, unlike wrk): serves DATA_DIR with the page cache off under valgrind, counts
# only inside `vigie::pages::Site::library` (HTTP parsing and sending left out), and requests
# the first COUNT queries of the list twice: a cold pass (the posting bitmaps of frequent terms
# and Xapian's blocks read for the first time) and a warm pass, which is what a server answering
# the same kinds of queries all day does. Prints the instructions per page of each pass.
#   bench/callgrind_library.sh BUILD_DIR DATA_DIR [QUERIES_FILE] [COUNT] [OUTPUT_PREFIX]
# Variables: BENCH_PORT (8097). Outputs: OUTPUT_PREFIX.cold and OUTPUT_PREFIX.warm (callgrind
# files, for callgrind_annotate), OUTPUT_PREFIX.server.log.
set -euo pipefail
cd "$(dirname "$0")/.."
usage="usage: bench/callgrind_library.sh BUILD_DIR DATA_DIR [QUERIES_FILE] [COUNT] [OUTPUT_PREFIX]"
build_dir=${1:?$usage}
data_dir=${2:?$usage}
queries=${3:-bench/queries.txt}
count=${4:-60}
output=${5:-$build_dir/callgrind-library}
port=${BENCH_PORT:-8097}
command -v valgrind >/dev/null || { echo "valgrind is missing: apt-get install valgrind"; exit 1; }
export VIGIE_RESOURCES_DIR="$PWD" VIGIE_DATA_DIR="$data_dir"
if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
  echo "port $port already answers (another server?): choose another with BENCH_PORT" >&2
  exit 1
fi
rm -f "$output".cold* "$output".warm* "$output".out*
VIGIE_PAGE_CACHE=off valgrind --tool=callgrind --collect-atstart=no --toggle-collect='vigie::pages::Site::library(*)' \
  --callgrind-out-file="$output.out" "$build_dir/vigie" serve --listen "127.0.0.1:$port" > "$output.server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1200); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.5; done
for _ in $(seq 2400); do grep -q "index de recherche à jour" "$output.server.log" && break; sleep 0.5; done
kill -0 "$server" 2>/dev/null || { echo "the server did not start:" >&2; tail -n 20 "$output.server.log" >&2; exit 1; }

# The same encoding as bench/search.lua.
mapfile -t urls < <(head -n "$count" "$queries" | python3 -c '
import sys, urllib.parse
for line in sys.stdin:
    line = line.rstrip("\n")
    if line: print("/bibliotheque?q=" + urllib.parse.quote(line, safe="-._~"))')
pass() {
  for url in "${urls[@]}"; do curl -sf -o /dev/null "http://127.0.0.1:$port$url" || echo "failed: $url" >&2; done
}
dump() {
  callgrind_control --dump="$1" "$server" > /dev/null
  sleep 1
}
pass
dump cold
pass
dump warm
kill "$server"
wait "$server" 2>/dev/null || true
trap - EXIT
# callgrind names the dumps OUTPUT.out.N (N = 1, 2 in order); the first is the cold pass.
mv "$output.out.1" "$output.cold"
mv "$output.out.2" "$output.warm"
for pass_name in cold warm; do
  total=$(grep -E '^(summary|totals):' "$output.$pass_name" | head -n 1 | awk '{print $2}')
  echo "$pass_name pass: $(( total / ${#urls[@]} )) instructions per page (${#urls[@]} pages, $total in all)"
done
echo "callgrind_annotate --inclusive=yes $output.warm | head -n 60   # where the warm pass went"
