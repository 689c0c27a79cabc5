#!/usr/bin/env bash
# Reproducible benchmarks of issue 2: referential load time, then the demo plus 10,000
# synthetic fiches served over HTTP and measured with wrk (2 threads, 64 connections, 10 s)
# on a fiche page, the library page and the fiche API; server RSS at the end.
# Usage: bench/run.sh [build-dir]   (make bench)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
vigie="$PWD/$build_dir/vigie"
corpus="$PWD/$build_dir/vigie_corpus"
port=${BENCH_PORT:-8099}
count=${BENCH_FICHES:-10000}
duration=${BENCH_DURATION:-10s}
command -v wrk >/dev/null || { echo "wrk is missing: scripts/install-deps.sh --test"; exit 1; }

data=$(mktemp -d)
export VIGIE_DATA_DIR="$data" VIGIE_RESOURCES_DIR="$PWD"
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT

start=$(date +%s.%N)
"$vigie" setup >/dev/null
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "referential load (vigie setup on an empty database): %.2f s\n", e - s }'
start=$(date +%s.%N)
"$vigie" setup >/dev/null
end=$(date +%s.%N)
awk -v s="$start" -v e="$end" 'BEGIN { printf "referential reload (nothing changed): %.2f s\n", e - s }'
"$vigie" demo
"$corpus" "$data" "$count"

# Twice: as served (page cache on), then with every response rendered (VIGIE_PAGE_CACHE=off).
for cache in ${BENCH_CACHE:-on off}; do
  VIGIE_PAGE_CACHE=$cache "$vigie" serve --listen "127.0.0.1:$port" > "$data/server.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  # The index is built in the background at first start: wait for it, so that searches are measured.
  for _ in $(seq 600); do grep -q "index de recherche à jour" "$data/server.log" && break; sleep 0.1; done
  fiche_path=$(curl -s -o /dev/null -w '%{redirect_url}' "http://127.0.0.1:$port/fiches/42-x" | sed "s|http://127.0.0.1:$port||")
  for path in "$fiche_path" "/bibliotheque" "/api/v1/fiches/42"; do
    echo
    echo "== page cache $cache: GET $path"
    wrk -t2 -c64 -d"$duration" --latency "http://127.0.0.1:$port$path" | grep -E 'Requests/sec|Latency|50%|99%|Non-2xx|Socket errors|requests in'
  done
  echo
  echo "server RSS (page cache $cache): $(( $(ps -o rss= -p $server) / 1024 )) MB"
  kill $server
  wait $server 2>/dev/null || true
done
