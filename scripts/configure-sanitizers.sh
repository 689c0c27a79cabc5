#!/usr/bin/env bash
# Configures the sanitizer build (clang; ASan, UBSan and libFuzzer's coverage instrumentation over
# the whole tree, so one build serves the sanitizer suites of `make test` and the fuzz targets of
# `make fuzz`). Usage: scripts/configure-sanitizers.sh BUILD_DIR
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:?usage: scripts/configure-sanitizers.sh BUILD_DIR}
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Asan -DVIGIE_FUZZ=ON \
  -DVIGIE_WERROR=ON -DVIGIE_BENCH=OFF >/dev/null
