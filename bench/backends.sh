#!/usr/bin/env bash
# Issue 10: the same HTTP benchmark on SQLite and on PostgreSQL, over one corpus (by default the
# 100,000 fiches of BENCH_PART=search, kept in build-bench/data-100k: `bench/run.sh` builds it).
#   bench/backends.sh [BUILD_DIR] [CORPUS_DIR]
# The corpus is copied (SQLite) and moved into a throw-away PostgreSQL cluster with
# `vigie copy-store`; both nodes reuse the corpus's search index (copy-store keeps the change
# sequence). Then, on each backend, with the page cache off (every answer from the store):
# a fiche read and the fiche list through the API, the library searched (bench/search.lua);
# with the page cache on, as served: 16 concurrent API writers (bench/post_fiche.lua), the
# fiches counted before and after (none lost or doubled), and on PostgreSQL a second node whose
# index lag is measured during that write load (bench/index_lag.mjs).
# wrk: 2 threads, BENCH_DURATION (10s); ports BENCH_PORT and the next one (8099, 8100).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}
corpus=${2:-build-bench/data-100k}
duration=${BENCH_DURATION:-10s}
port=${BENCH_PORT:-8099}
vigie="$PWD/$build_dir/vigie"
[[ -f "$corpus/vigie.db" && -d "$corpus/index" ]] || { echo "no corpus in $corpus (vigie.db and index/): BENCH_PART=search bench/run.sh builds one" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: scripts/install-deps.sh --bench"; exit 1; }
export VIGIE_RESOURCES_DIR="$PWD"

scratch=$(mktemp -d)
postgres_dir=$(mktemp -u -d -t vigie-bench-backends.XXXXXX)
servers=()
cleanup() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; done
  [[ -d "$postgres_dir" ]] && scripts/postgres.sh stop "$postgres_dir" || true
  rm -rf "$scratch"
}
trap cleanup EXIT
token=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
echo "$token" > "$scratch/token"

# start NAME PORT CACHE [DATABASE_URL]: a node on its own copy of the corpus's index.
start() {
  local name=$1 node_port=$2 cache=$3 url=${4:-}
  mkdir -p "$scratch/$name"
  [[ -d "$scratch/$name/index" ]] || cp -a "$corpus/index" "$scratch/$name/index"
  [[ -n "$url" || -f "$scratch/$name/vigie.db" ]] || cp "$corpus/vigie.db" "$scratch/$name/vigie.db"
  VIGIE_DATA_DIR="$scratch/$name" VIGIE_DATABASE_URL="$url" VIGIE_PAGE_CACHE=$cache VIGIE_ADMIN_TOKEN_FILE="$scratch/token" \
    "$vigie" serve --listen "127.0.0.1:$node_port" > "$scratch/$name.log" 2>&1 &
  servers+=($!)
  for _ in $(seq 3000); do
    if curl -sf "http://127.0.0.1:$node_port/healthz" | grep -q '"index":"ok"'; then return 0; fi
    sleep 0.1
  done
  echo "node $name did not become ready; its log:" >&2
  tail -n 20 "$scratch/$name.log" >&2
  exit 1
}
stop_all() {
  for pid in "${servers[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  servers=()
}
rate() { wrk -t2 -c16 -d"$duration" "$@" | awk '/Requests\/sec/ { print $2 } /Non-2xx/ { print "non-2xx: " $NF > "/dev/stderr" }'; }
published() { curl -sf "http://127.0.0.1:$1/api/v1/fiches?limite=1" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).total))'; }

echo "== PostgreSQL: a throw-away cluster, the corpus moved in with vigie copy-store"
conninfo=$(PG_SHARED_BUFFERS=${PG_SHARED_BUFFERS:-1GB} scripts/postgres.sh start "$postgres_dir")
psql "$conninfo" -q -c "CREATE DATABASE vigie_bench"
pg_url="$conninfo dbname=vigie_bench"
"$vigie" copy-store --from "sqlite:$PWD/$corpus/vigie.db" --to "$pg_url" | head -1

for backend in sqlite postgresql; do
  url=; [[ $backend == postgresql ]] && url=$pg_url
  echo "== $backend: reads with the page cache off"
  start "$backend-reads" "$port" off "$url"
  id=$(curl -sf "http://127.0.0.1:$port/api/v1/fiches?limite=1" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).fiches[0].id))')
  echo "API fiche read (GET /api/v1/fiches/$id): $(rate "http://127.0.0.1:$port/api/v1/fiches/$id") requests/s"
  echo "API fiche list (GET /api/v1/fiches): $(rate "http://127.0.0.1:$port/api/v1/fiches") requests/s"
  echo "library searched, uncached (bench/search.lua): $(BENCH_QUERIES=bench/queries.txt rate -s bench/search.lua "http://127.0.0.1:$port") requests/s"
  stop_all

  echo "== $backend: 16 concurrent API writers, page cache on"
  start "$backend-writes" "$port" on "$url"
  [[ $backend == postgresql ]] && start "$backend-second" "$((port + 1))" on "$url"
  before=$(published "$port")
  out=$(BENCH_TOKEN=$token wrk -t2 -c16 -d"$duration" -s bench/post_fiche.lua "http://127.0.0.1:$port" &
        if [[ $backend == postgresql ]]; then BENCH_SECONDS=${duration%s} node bench/index_lag.mjs "http://127.0.0.1:$port" "http://127.0.0.1:$((port + 1))" "$token" > "$scratch/lag.txt"; fi
        wait)
  requests=$(awk '/requests in/ { print $1 }' <<< "$out")
  failed=$(awk '/Non-2xx/ { print $NF }' <<< "$out"); failed=${failed:-0}
  sleep 1  # the requests in flight when wrk stopped are answered
  after=$(published "$port")
  # Every 201 the node sent (wrk's, those in flight when it stopped, the lag probes'), from its metrics.
  created=$(curl -sf "http://127.0.0.1:$port/metrics" | awk -F' ' '/^vigie_http_requests_total\{route="api_fiches_create",status="201"\}/ { print $2 }')
  echo "API writes: $(awk '/Requests\/sec/ { print $2 }' <<< "$out") fiches created/s ($requests requests, $failed not 201)"
  echo "fiches published before $before, after $after, 201 answers $created: $(( after - before - created )) lost (< 0) or doubled (> 0)"
  [[ $backend == postgresql ]] && cat "$scratch/lag.txt"
  stop_all
done
