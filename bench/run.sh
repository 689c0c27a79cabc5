#!/usr/bin/env bash
# Reproducible benchmarks (make bench). Three parts, chosen with BENCH_PART ("pages", "search",
# "store" or "all", the default):
#  pages  (issue 2) referential load time, then the demo plus 10,000 synthetic fiches served
#         over HTTP and measured with wrk (2 threads, 64 connections, 10 s) on a fiche page,
#         the library page and the fiche API; server RSS at the end.
#  search (issues 3 and 8) the demo plus 100,000 synthetic fiches: index build time, memory and
#         size; Vigie's search in-process beside SQLite FTS5 and PostgreSQL (a throw-away
#         server, scripts/postgres.sh) on the same 1,000 queries (bench/queries.txt), with each
#         engine's relevance on the judged set, and Vigie alone on 400 queries that go beyond
#         the strict search (bench/queries-relaxed.txt: spelling correction, closest fiches);
#         the library page searched over HTTP with wrk rotating through each list
#         (bench/search.lua), twice with the page cache on (first pass cold, second warm);
#         server RSS.
#  store  (issue 10) the fiches' store on SQLite and on PostgreSQL (a throw-away server) through
#         the same interface (bench/store_backends.cpp): load, reads, 16 concurrent writers
#         with a follower of the change sequence checking that nothing is lost or doubled.
# pages and search measure with the page cache on (as served) and off (every response rendered).
# Usage: bench/run.sh [build-dir] (default: build). BENCH_ENGINES (e.g. "vigie" or
# "vigie,sqlite_fts5") limits the in-process comparison to those engines.
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
  [[ -d "$postgres_dir" ]] && scripts/postgres.sh stop "$postgres_dir" || true
  rm -rf "$scratch"
}
trap cleanup EXIT

seconds() { awk -v s="$1" -v e="$2" 'BEGIN { printf "%.1f", e - s }'; }

# Server logs are kept after the run (the scratch directory is not): BENCH_LOGS, by default
# BUILD_DIR/bench-logs, one file per server started.
logs=${BENCH_LOGS:-$PWD/$build_dir/bench-logs}
mkdir -p "$logs"
server_log=

# serve CACHE: starts the server on the current VIGIE_DATA_DIR and waits until it answers and
# its search index is up to date; stops the run, with the end of the server's log, otherwise.
serve() {
  # Another server on the port would be measured instead of ours (it happened: a test server
  # of another checkout on 8099), so the port must be free and our server alive once it answers.
  if curl -s -o /dev/null "http://127.0.0.1:$port/"; then
    echo "port $port already answers (another server?): choose another with BENCH_PORT" >&2
    exit 1
  fi
  server_log="$logs/server-$(basename "$VIGIE_DATA_DIR")-cache-$1-$(date +%Y%m%d-%H%M%S).log"
  VIGIE_PAGE_CACHE=$1 "$vigie" serve --listen "127.0.0.1:$port" > "$server_log" 2>&1 &
  server=$!
  not_ready() {
    echo "the server is not ready (page cache $1): $2; its log: $server_log; end of it:" >&2
    tail -n 20 "$server_log" >&2
    kill "$server" 2>/dev/null || true
    server=
    exit 1
  }
  local answered=
  for _ in $(seq 300); do
    kill -0 "$server" 2>/dev/null || not_ready "$1" "it exited"
    if curl -sf -o /dev/null "http://127.0.0.1:$port/healthz"; then answered=1; break; fi
    sleep 0.1
  done
  [[ -n "$answered" ]] || not_ready "$1" "no answer on /healthz after 30 s"
  # The index is built (or caught up) in the background at start: wait for it, so that
  # searches are measured; /healthz says "index": "ok" once it is.
  local indexed=
  for _ in $(seq 3000); do
    kill -0 "$server" 2>/dev/null || not_ready "$1" "it exited"
    if curl -sf "http://127.0.0.1:$port/healthz" | grep -q '"index":"ok"'; then indexed=1; break; fi
    sleep 0.1
  done
  [[ -n "$indexed" ]] || not_ready "$1" "search index not ready after 300 s"
}

stop_server() {
  local rss
  if rss=$(ps -o rss= -p "$server"); then
    echo "server RSS (page cache $1): $(( rss / 1024 )) MB"
    kill "$server"
    wait "$server" 2>/dev/null || true
  else
    # Say so rather than fail: the figures above were measured (partly) against a dead server.
    local status=0
    wait "$server" 2>/dev/null || status=$?
    echo "SERVER DIED (page cache $1, exit status $status); its log: $server_log; end of it:"
    tail -n 20 "$server_log"
  fi
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
  # The binaries may be older than the tree: say when they were built.
  echo "source now: commit $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src 2>/dev/null || echo ' with uncommitted changes in src/'); $build_dir/vigie built $(date -r "$vigie" '+%F %T')"
  start=$(date +%s.%N)
  if [[ -x /usr/bin/time ]]; then
    /usr/bin/time -f "index build: %e s wall, %U s user, %S s system, max RSS %M kB" "$vigie" index
  else
    "$vigie" index
  fi
  end=$(date +%s.%N)
  echo "index build (vigie index, $(( search_count + 92 )) fiches): $(seconds "$start" "$end") s wall clock"
  echo "index size on disk: $(du -sh "$VIGIE_DATA_DIR/index" | cut -f1)"
  conninfo=
  if [[ "${BENCH_POSTGRES:-on}" == on ]]; then
    conninfo=$(PG_SHARED_BUFFERS=512MB scripts/postgres.sh start "$postgres_dir" vigie_bench)
  fi
  echo
  "$compare" "$VIGIE_DATA_DIR" "$demo" bench/queries.txt tests/search/judged_queries.json "$conninfo" \
    --relaxed-queries=bench/queries-relaxed.txt ${BENCH_ENGINES:+--engines=$BENCH_ENGINES}
  if [[ -n "$conninfo" ]]; then scripts/postgres.sh stop "$postgres_dir"; fi
  for cache in ${BENCH_CACHE:-on off}; do
    serve "$cache"
    for list in bench/queries.txt bench/queries-relaxed.txt; do
      # With the page cache, the first pass renders (and caches) the pages, the second finds them cached.
      passes=("")
      [[ "$cache" == on ]] && passes=(" (first pass: cold)" " (second pass: warm)")
      for pass in "${passes[@]}"; do
        echo
        echo "== page cache $cache$pass: GET /bibliotheque?q=… rotating through $list ($(( search_count + 92 )) fiches)"
        BENCH_QUERIES=$list wrk -t2 -c64 -d"$duration" --latency -s bench/search.lua "http://127.0.0.1:$port" | wrk_summary
      done
    done
    stop_server "$cache"
  done
}

store_part() {
  echo "== store: SQLite and PostgreSQL, ${BENCH_STORE_FICHES:-10000} fiches, 16 writers"
  local conninfo
  conninfo=$(scripts/postgres.sh start "$postgres_dir" vigie_bench)
  VIGIE_BENCH_POSTGRES="$conninfo" "$PWD/$build_dir/vigie_store_compare" "${BENCH_STORE_FICHES:-10000}" 16 100
  scripts/postgres.sh stop "$postgres_dir"
}

case "$part" in
  pages) pages_part ;;
  search) search_part ;;
  store) store_part ;;
  all) pages_part; echo; search_part; echo; store_part ;;
  *) echo "BENCH_PART: pages, search, store or all" >&2; exit 2 ;;
esac
