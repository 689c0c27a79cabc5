#!/usr/bin/env bash
# Runs every test: C++ unit and integration tests (CTest), then the HTTP and browser tests
# (Node's test runner against the real server and headless Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}

(cd "$build_dir" && ctest --output-on-failure -j2 --timeout 300)

shopt -s nullglob
node_tests=(tests/http/*.test.mjs tests/e2e/*.test.mjs)
if ((${#node_tests[@]})); then
  VIGIE_BINARY="$PWD/$build_dir/vigie" node --test "${node_tests[@]}"
fi
