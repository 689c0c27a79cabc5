#!/usr/bin/env bash
# Runs every libFuzzer target of a VIGIE_FUZZ build for a set time each (`make fuzz`).
# Usage: scripts/run-fuzz.sh BUILD_DIR [SECONDS] [TARGET…]   (SECONDS: FUZZ_SECONDS, default 60)
# Each target starts from its seed corpus (tests/fuzz/corpus/<target>/, read only) and keeps
# what it learns in BUILD_DIR/fuzz-corpus/<target>/ across runs. A crash stops that target and
# leaves its input in BUILD_DIR/fuzz-crashes/<target>/; the script ends with status 1 naming
# them. Turn a crash into a regression test: copy its input into the seed corpus (CTest replays
# it, test fuzz_corpus.<target>), fix, and add a gtest beside the parser's tests.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${1:?usage: scripts/run-fuzz.sh BUILD_DIR [SECONDS] [TARGET…]}
seconds=${2:-${FUZZ_SECONDS:-60}}
shift $(($# >= 2 ? 2 : $#))
targets=("$@")
if ((${#targets[@]} == 0)); then
  for binary in "$build_dir"/fuzz/*_fuzz; do targets+=("$(basename "$binary")"); done
fi

failed=()
for target in "${targets[@]}"; do
  corpus=$build_dir/fuzz-corpus/$target
  crashes=$build_dir/fuzz-crashes/$target
  mkdir -p "$corpus" "$crashes"
  seeds=tests/fuzz/corpus/$target
  # Targets that need files make them under TMPDIR; libFuzzer's exit skips their clean-up.
  export TMPDIR=$(realpath -m "$build_dir/fuzz-tmp/$target")
  rm -rf "$TMPDIR" && mkdir -p "$TMPDIR"
  echo "fuzz: $target for ${seconds} s"
  if ! "$build_dir/fuzz/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" "$seeds" >"$build_dir/fuzz-$target.log" 2>&1; then
    tail -40 "$build_dir/fuzz-$target.log"
    failed+=("$target")
  else
    grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$build_dir/fuzz-$target.log" | tail -2 || true
  fi
  rm -rf "$TMPDIR"
done
if ((${#failed[@]})); then
  echo "fuzz: crashes in ${failed[*]} (inputs in $build_dir/fuzz-crashes/)" >&2
  exit 1
fi
echo "fuzz: no crash in ${#targets[@]} targets"
