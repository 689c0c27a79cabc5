#!/usr/bin/env bash
# Reproducible benchmarks (make bench). Two parts, chosen with BENCH_PART ("pages", "search" or
# "all", the default):
#  pages  (issue 2) referential load time, then the demo plus 10,000 synthetic fiches served
#         over HTTP and measured with wrk (2 threads, 64 connections, 10 s) on a fiche page,
#         the library page and the fiche API; server RSS at the end.
#  search (issue 3) the demo plus 100,000 synthetic fiches: index build time and size; Vigie's
#         search in-process beside SQLite FTS5 and PostgreSQL (a throw-away server,
#         bench/postgres.sh) on the same 1,000 queries (bench/queries.txt), with each engine's
#         relevance on the judged set; the library page searched over HTTP with wrk rotating
#         through the same queries (bench/search.lua); server RSS.
# Both measure with the page cache on (as served) and off (every response rendered).
# Usage: bench/run.sh [build-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
vigie="$PWD/$build_dir/vigie"
corpus="$PWD/$build_dir/vigie_corpus"
compare="$PWD/$build_dir/vigie_search_compare"
port=${BENCH_PORT:-8099}
count=${BENCH_FICHES:-10000}
search_count=${BENCH_SEARCH_FICHES:-100000}
duration=${BENCH_DURATION:-10s}
part=${BENCH_PART:-all}
command -v wrk >/dev/null || { echo "wrk is missing: scripts/install-deps.sh --bench"; exit 1; }

export VIGIE_RESOURCES_DIR="$PWD"
server=
scratch=$(mktemp -d)
# Apart from the scratch directory (mode 700), which the postgres user could not enter.
postgres_dir=$(mktemp -u -d -t vigie-postgres.XXXXXX)
cleanup() {
  [[ -n "$server" ]] && kill "$server" 2>/dev/null || true
  [[ -d "$postgres_dir" ]] && bench/postgres.sh stop "$postgres_dir" || true
  rm -rf "$scratch"
}
trap cleanup EXIT

seconds() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.1f", e - s }'; }

# serve CACHE: starts the server on the current VIGIE_DATA_DIR and waits for its index.
serve() {
  VIGIE_PAGE_CACHE=$1 "$vigie" serve --listen "127.0.0.1:$port" > "$VIGIE_DATA_DIR/server.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done
  # The index is built (or caught up) in the background at start: wait for it, so that searches are measured.
  for _ in $(seq 1200); do grep -q "index de recherche à jour" "$VIGIE_DATA_DIR/server.log" && break; sleep 0.1; done
}
stop_server() {
  echo "server RSS (page cache $1): $(( $(ps -o rss= -p "$server") / 1024 )) MB"
  kill "$server"
  wait "$server" 2>/dev/null || true
  server=
}
wrk_summary() { grep -E 'Requests/sec|Latency|50%|99%|Non-2xx|Socket errors|requests in'; }

pages_part() {
  export VIGIE_DATA_DIR="$scratch/pages"
  start=$(date +%s.%N)
  "$vigie" setup >/dev/null
  end=$(date +%s.%N)
  echo "referential load (vigie setup on an empty database): $(seconds "$start" "$end") s"
  start=$(date +%s.%N)
  "$vigie" setup >/dev/null
  end=$(date +%s.%N)
  echo "referential reload (nothing changed): $(seconds "$start" "$end") s"
  "$vigie" demo
  "$corpus" "$VIGIE_DATA_DIR" "$count"
  for cache in ${BENCH_CACHE:-on off}; do
    serve "$cache"
    fiche_path=$(curl -s -o /dev/null -w '%{redirect_url}' "http://127.0.0.1:$port/fiches/42-x" | sed "s|http://127.0.0.1:$port||")
    for path in "$fiche_path" "/bibliotheque" "/api/v1/fiches/42"; do
      echo
      echo "== page cache $cache: GET $path"
      wrk -t2 -c64 -d"$duration" --latency "http://127.0.0.1:$port$path" | wrk_summary
    done
    echo
    stop_server "$cache"
  done
}

search_part() {
  local demo="$scratch/demo"
  export VIGIE_DATA_DIR="$scratch/search"
  "$vigie" setup >/dev/null
  "$vigie" demo
  # The demonstration library alone, for the judged set.
  mkdir -p "$demo"
  sqlite3 "$VIGIE_DATA_DIR/vigie.db" ".backup '$demo/vigie.db'"
  VIGIE_DATA_DIR="$demo" "$vigie" index
  "$corpus" "$VIGIE_DATA_DIR" "$search_count"
  echo
  start=$(date +%s.%N)
  "$vigie" index
  end=$(date +%s.%N)
  echo "index build (vigie index, $(( search_count + 92 )) fiches): $(seconds "$start" "$end") s wall clock"
  echo "index size on disk: $(du -sh "$VIGIE_DATA_DIR/index" | cut -f1)"
  conninfo=
  if [[ "${BENCH_POSTGRES:-on}" == on ]]; then
    conninfo=$(bench/postgres.sh start "$postgres_dir")
  fi
  echo
  "$compare" "$VIGIE_DATA_DIR" "$demo" bench/queries.txt tests/search/judged_queries.json "$conninfo"
  if [[ -n "$conninfo" ]]; then bench/postgres.sh stop "$postgres_dir"; fi
  for cache in ${BENCH_CACHE:-on off}; do
    serve "$cache"
    echo
    echo "== page cache $cache: GET /bibliotheque?q=… rotating through bench/queries.txt ($(( search_count + 92 )) fiches)"
    BENCH_QUERIES=bench/queries.txt wrk -t2 -c64 -d"$duration" --latency -s bench/search.lua "http://127.0.0.1:$port" | wrk_summary
    stop_server "$cache"
  done
}

case "$part" in
  pages) pages_part ;;
  search) search_part ;;
  all) pages_part; echo; search_part ;;
  *) echo "BENCH_PART: pages, search or all" >&2; exit 2 ;;
esac
