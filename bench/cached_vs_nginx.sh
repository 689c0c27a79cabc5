#!/usr/bin/env bash
# The cached path beside nginx (issue 9): a fiche page served from Vigie's page cache, and the
# same bytes served by nginx from a file, each loaded by wrk (2 threads × 64 connections) in
# turn, in one run. Target: Vigie ≥ 80 % of nginx's requests/s. Also the same page with a junk
# parameter in every request (bench/junk_params.lua), which must stay within 2× of the plain
# address (the page cache keys on the parameters a page reads).
#   bench/cached_vs_nginx.sh BUILD_DIR [DATA_DIR]
# DATA_DIR holds a database with the demo (`vigie setup && vigie demo`); a scratch one is made
# when absent. Variables: BENCH_PORT (8099; nginx uses the next port), BENCH_DURATION (10s),
# BENCH_ROUNDS (2: Vigie, nginx, Vigie, nginx…), BENCH_LOGS (BUILD_DIR/bench-logs).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:?usage: bench/cached_vs_nginx.sh BUILD_DIR [DATA_DIR]}
vigie="$PWD/$build_dir/vigie"
port=${BENCH_PORT:-8099}
nginx_port=$((port + 1))
duration=${BENCH_DURATION:-10s}
rounds=${BENCH_ROUNDS:-2}
logs=${BENCH_LOGS:-$PWD/$build_dir/bench-logs}
command -v wrk >/dev/null || { echo "wrk is missing: scripts/install-deps.sh --bench"; exit 1; }
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || { echo "nginx is missing: scripts/install-deps.sh --bench"; exit 1; }
nginx_binary=$(command -v nginx || echo /usr/sbin/nginx)
mkdir -p "$logs"
scratch=$(mktemp -d)
server=
cleanup() {
  [[ -n "$server" ]] && kill "$server" 2>/dev/null || true
  [[ -f "$scratch/nginx.pid" ]] && kill "$(cat "$scratch/nginx.pid")" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT
for p in "$port" "$nginx_port"; do
  if curl -s -o /dev/null "http://127.0.0.1:$p/"; then echo "port $p already answers: choose another BENCH_PORT" >&2; exit 1; fi
done

export VIGIE_RESOURCES_DIR="$PWD"
export VIGIE_DATA_DIR=${2:-$scratch/data}
if [[ ! -f "$VIGIE_DATA_DIR/vigie.db" ]]; then
  "$vigie" setup >/dev/null
  "$vigie" demo >/dev/null
fi
server_log="$logs/server-cached-$(date +%Y%m%d-%H%M%S).log"
VIGIE_PAGE_CACHE=on "$vigie" serve --listen "127.0.0.1:$port" > "$server_log" 2>&1 &
server=$!
for _ in $(seq 600); do
  kill -0 "$server" 2>/dev/null || { echo "the server exited; its log: $server_log" >&2; tail -n 20 "$server_log" >&2; exit 1; }
  curl -sf "http://127.0.0.1:$port/healthz" | grep -q '"index":"ok"' && break
  sleep 0.1
done
short=$(curl -sf "http://127.0.0.1:$port/api/v1/fiches?limite=1" | python3 -c 'import json,sys; print("/fiches/%d" % json.load(sys.stdin)["fiches"][0]["id"])')
# The fiche's canonical address (/fiches/{id}-{slug}): the short one redirects.
effective=$(curl -sfL -o /dev/null -w '%{url_effective}' "http://127.0.0.1:$port$short")
path=${effective#http://127.0.0.1:$port}
# The same bytes for both: the page as Vigie serves it (cached after this first request).
mkdir -p "$scratch/www/fiches"
curl -sf -o "$scratch/www$path" "http://127.0.0.1:$port$path"
size=$(stat -c %s "$scratch/www$path")
cat > "$scratch/nginx.conf" <<EOF
daemon on;
worker_processes 2;
pid $scratch/nginx.pid;
error_log $scratch/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  default_type text/html;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 100000;
  server {
    listen 127.0.0.1:$nginx_port;
    root $scratch/www;
  }
}
EOF
"$nginx_binary" -c "$scratch/nginx.conf" -p "$scratch"
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$nginx_port$path" && break; sleep 0.1; done

measure() {  # URL [wrk options…] → requests/s
  local url=$1
  shift
  wrk -t2 -c64 -d"$duration" --latency "$@" "$url" | awk '/Requests\/sec/ { print $2 }'
}
echo "Cached fiche page $path ($size bytes), wrk 2 threads × 64 connections, $duration each, $rounds rounds"
echo "| round | Vigie (page cache) req/s | nginx (file) req/s | ratio | Vigie, junk parameter each request | junk / plain |"
echo "|---|---|---|---|---|---|"
total_vigie=0
total_nginx=0
for round in $(seq "$rounds"); do
  v=$(measure "http://127.0.0.1:$port$path")
  n=$(measure "http://127.0.0.1:$nginx_port$path")
  j=$(measure "http://127.0.0.1:$port$path" -s bench/junk_params.lua)
  total_vigie=$(awk -v a="$total_vigie" -v b="$v" 'BEGIN { print a + b }')
  total_nginx=$(awk -v a="$total_nginx" -v b="$n" 'BEGIN { print a + b }')
  echo "| $round | $v | $n | $(awk -v a="$v" -v b="$n" 'BEGIN { printf "%.0f %%", 100 * a / b }') | $j |" \
    "$(awk -v a="$j" -v b="$v" 'BEGIN { printf "%.0f %%", 100 * a / b }') |"
done
echo "| all | | | $(awk -v a="$total_vigie" -v b="$total_nginx" 'BEGIN { printf "%.0f %%", 100 * a / b }') (target ≥ 80 %) | | (target: ≥ 50 %, within 2×) |"
kill -0 "$server" 2>/dev/null || { echo "SERVER DIED; its log: $server_log"; exit 1; }
