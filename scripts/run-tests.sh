#!/usr/bin/env bash
# Runs every test: C++ unit and integration tests (CTest), then the HTTP and browser tests
# (Node's test runner against the real server and headless Chromium), then the C++ and HTTP
# suites again under the sanitizers, and each fuzz target briefly.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:-build}

# A throw-away PostgreSQL server for the whole run (scripts/postgres.sh: its own cluster in a
# temporary directory, a unix socket only): the store's contract suite runs on it beside SQLite.
# Removed on exit, whatever happens.
scratch=()
cleanup() {
  if [[ -n "${postgres_dir:-}" ]]; then scripts/postgres.sh stop "$postgres_dir" || true; fi
  if ((${#scratch[@]})); then rm -rf "${scratch[@]}"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM  # so that an interrupted run still removes its cluster
postgres_dir=$(mktemp -u -d -t vigie-test-postgres.XXXXXX)
VIGIE_TEST_POSTGRES=$(scripts/postgres.sh start "$postgres_dir")
export VIGIE_TEST_POSTGRES

(cd "$build_dir" && ctest --output-on-failure -j2 --timeout 300)

# The HTTP suite against servers on SQLite (the default store), the browser suite against
# servers on PostgreSQL (tests/support/server.mjs: VIGIE_TEST_STORE); the HTTP suite runs on
# PostgreSQL again below, under the sanitizers. The pages above the store are the same code on
# both backends; each suite thus meets each backend at least once.
shopt -s nullglob
http_tests=(tests/http/*.test.mjs)
browser_tests=(tests/e2e/*.test.mjs)
if ((${#http_tests[@]})); then
  VIGIE_BINARY="$PWD/$build_dir/vigie" VIGIE_TEST_STORE=sqlite node --test "${http_tests[@]}"
fi
if ((${#browser_tests[@]})); then
  VIGIE_BINARY="$PWD/$build_dir/vigie" VIGIE_TEST_STORE=postgresql node --test "${browser_tests[@]}"
fi

# The C++ suite and the HTTP suite again, then every libFuzzer target for a few seconds, all from
# one clang build with AddressSanitizer, UndefinedBehaviorSanitizer and libFuzzer's coverage
# instrumentation (VIGIE_FUZZ=ON, in build-fuzz/, the build `make fuzz` reuses). Any report,
# leaks included, or any crash fails the run; the reports are printed. VIGIE_FUZZ_SECONDS sets the
# time per fuzz target (default 4); VIGIE_SANITIZERS=off leaves this part out (quick local runs).
if [[ "${VIGIE_SANITIZERS:-on}" != off ]]; then
  san_dir=build-fuzz
  scripts/configure-sanitizers.sh "$san_dir"
  cmake --build "$san_dir" --target vigie vigie_tests vigie_fuzz
  reports=$(mktemp -d)
  scratch+=("$reports")
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:log_path=$reports/asan"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan"
  echo "run-tests: C++ suite under ASan + UBSan"
  "$san_dir/vigie_tests" --gtest_brief=1
  if ((${#http_tests[@]})); then
    echo "run-tests: HTTP suite against an ASan + UBSan server on PostgreSQL"
    VIGIE_BINARY="$PWD/$san_dir/vigie" VIGIE_TEST_STORE=postgresql node --test "${http_tests[@]}"
  fi
  if compgen -G "$reports/*" >/dev/null; then
    echo "run-tests: sanitizer reports:" >&2
    cat "$reports"/* >&2
    exit 1
  fi
  # libFuzzer reports crashes itself (its own log per target, printed on failure).
  unset ASAN_OPTIONS UBSAN_OPTIONS
  echo "run-tests: each fuzz target for ${VIGIE_FUZZ_SECONDS:-4} s"
  scripts/run-fuzz.sh "$san_dir" "${VIGIE_FUZZ_SECONDS:-4}"
fi
