#!/usr/bin/env bash
# Runs every test: C++ unit and integration tests (CTest), then the HTTP and browser tests
# (Node's test runner against the real server and headless Chromium), then the C++ and HTTP
# suites again under the sanitizers.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}

(cd "$build_dir" && ctest --output-on-failure -j2 --timeout 300)

shopt -s nullglob
node_tests=(tests/http/*.test.mjs tests/e2e/*.test.mjs)
if ((${#node_tests[@]})); then
  VIGIE_BINARY="$PWD/$build_dir/vigie" node --test "${node_tests[@]}"
fi

# The C++ suite and the HTTP suite again, against an AddressSanitizer + UndefinedBehaviorSanitizer
# build (CMAKE_BUILD_TYPE=Asan, in build-asan/). Any report, leaks included, fails the run; the
# reports are printed. VIGIE_SANITIZERS=off leaves this part out (quick local runs).
if [[ "${VIGIE_SANITIZERS:-on}" != off ]]; then
  asan_dir=build-asan
  cmake -S . -B "$asan_dir" -G Ninja -DCMAKE_BUILD_TYPE=Asan -DVIGIE_WERROR=ON -DVIGIE_BENCH=OFF >/dev/null
  cmake --build "$asan_dir" --target vigie vigie_tests
  reports=$(mktemp -d)
  trap 'rm -rf "$reports"' EXIT
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:log_path=$reports/asan"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan"
  echo "run-tests: C++ suite under ASan + UBSan"
  "$asan_dir/vigie_tests" --gtest_brief=1
  if ((${#node_tests[@]})); then
    echo "run-tests: HTTP suite against an ASan + UBSan server"
    VIGIE_BINARY="$PWD/$asan_dir/vigie" node --test tests/http/*.test.mjs
  fi
  if compgen -G "$reports/*" >/dev/null; then
    echo "run-tests: sanitizer reports:" >&2
    cat "$reports"/* >&2
    exit 1
  fi
fi
