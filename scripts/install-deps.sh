#!/usr/bin/env bash
# Installs what Vigie needs to build, run and test, from Debian packages and npm.
# Idempotent: checks what is present first, so a second run takes well under a second.
# Usage: scripts/install-deps.sh [--test|--bench|--fuzz]
#   --test adds the browser and load-testing tools, clang with its libFuzzer and sanitizer
#   runtimes (the sanitizer build; Debian 12: libclang-rt-14-dev), the PostgreSQL server (the
#   store's contract suite runs on a throw-away cluster, scripts/postgres.sh) and what the
#   package test uses (dpkg-dev's dpkg-shlibdeps, systemd-analyze); --bench adds those and nginx
#   (the cached path's yardstick); --fuzz adds clang and its runtimes alone.
set -euo pipefail
cd "$(dirname "$0")/.."

build_packages=(
  build-essential cmake ninja-build pkg-config git
  libboost-dev libsqlite3-dev sqlite3 libxapian-dev nlohmann-json3-dev
  libcmark-gfm-dev libcmark-gfm-extensions-dev libhunspell-dev hunspell-fr
  libutf8proc-dev libsodium-dev libpq-dev zlib1g-dev libjemalloc-dev libcli11-dev libtomlplusplus-dev libspdlog-dev
  libfmt-dev libxlsxwriter-dev libgtest-dev libgmock-dev libbenchmark-dev
  nodejs npm
)
test_packages=(chromium wrk clang libclang-rt-14-dev postgresql curl dpkg-dev systemd)
bench_packages=(nginx-light)
fuzz_packages=(clang libclang-rt-14-dev)

wanted=("${build_packages[@]}")
if [[ "${1:-}" == "--test" || "${1:-}" == "--bench" ]]; then wanted+=("${test_packages[@]}"); fi
if [[ "${1:-}" == "--bench" ]]; then wanted+=("${bench_packages[@]}"); fi
if [[ "${1:-}" == "--fuzz" ]]; then wanted+=("${fuzz_packages[@]}"); fi

missing=()
for package in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
# Node.js may come from elsewhere than Debian (it does on the development machines): accept it.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for package in "${missing[@]}"; do
    [[ "$package" == nodejs || "$package" == npm ]] || filtered+=("$package")
  done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

if ((${#missing[@]})); then
  echo "install-deps: installing Debian packages: ${missing[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages: reinstall only when package.json or the lock file changed.
mkdir -p .stamps
stamp=.stamps/npm
digest=$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1)
if [[ ! -d node_modules || ! -f "$stamp" || "$(cat "$stamp")" != "$digest" ]]; then
  echo "install-deps: installing npm packages"
  if [[ -f package-lock.json ]]; then
    npm ci --no-audit --no-fund --loglevel=error
  else
    npm install --no-audit --no-fund --loglevel=error
  fi
  echo "$digest" > "$stamp"
fi
