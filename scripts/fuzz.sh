#!/usr/bin/env bash
# Runs each cargo-fuzz target for SECONDS (default 60) and prints executions, time and
# crashes per target. Seeds come from the shared corpus (../shared/corpus, or
# $SKILLPRESS_SHARED/corpus), copied at run time into fuzz/corpus/TARGET (gitignored);
# shared data is never committed. Crashes land in fuzz/artifacts/TARGET.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]     targets: frontmatter markdown lint fix reduce
#
# libFuzzer needs nightly flags: the stable toolchain is used with RUSTC_BOOTSTRAP=1.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(frontmatter markdown lint fix reduce)
shared="${SKILLPRESS_SHARED:-../shared}"
export RUSTC_BOOTSTRAP=1

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --quiet

mkdir -p fuzz/logs
for t in "${targets[@]}"; do
  dir="fuzz/corpus/$t"
  mkdir -p "$dir"
  if [ -z "$(ls -A "$dir")" ] && [ -d "$shared/corpus" ]; then
    # Small manifests make good seeds; a few hundred cover the corpus's shapes.
    find "$shared/corpus" -name SKILL.md -size -16k | sort | awk 'NR % 3 == 0' | head -n 500 |
      while read -r f; do cp "$f" "$dir/$(sha1sum < "$f" | cut -c1-16)"; done
  fi
done

# -s none: safe Rust gains little from AddressSanitizer, and runs several times faster
# without it; debug assertions stay on.
cd fuzz
cargo fuzz build -s none --debug-assertions
printf '%-12s %14s %8s %8s\n' target executions seconds crashes
status=0
for t in "${targets[@]}"; do
  log="logs/$t.log"
  # Crashes of this run only: artifacts of earlier runs stay in the folder until fixed.
  stamp=$(mktemp)
  set +e
  cargo fuzz run -s none --debug-assertions "$t" "corpus/$t" -- \
    -max_total_time="$secs" -max_len=16384 -rss_limit_mb=2048 -timeout=20 \
    -print_final_stats=1 >"$log" 2>&1
  code=$?
  set -e
  # A crashed run prints no final stats: its last progress line (#N ...) says how far
  # it got. `|| true`: a grep that finds nothing must not stop the other targets.
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1 || true)
  [ -n "$execs" ] || execs=$(grep -o '^#[0-9]*' "$log" | tr -d '#' | tail -1 || true)
  took=$(grep -o 'Done [0-9]* runs in [0-9]* second' "$log" | grep -o 'in [0-9]*' | grep -o '[0-9]*' | tail -1 || true)
  crashes=$(find "artifacts/$t" -type f -newer "$stamp" 2>/dev/null | wc -l)
  rm -f "$stamp"
  printf '%-12s %14s %8s %8s\n' "$t" "${execs:-?}" "${took:-$secs}" "$crashes"
  if [ "$code" -ne 0 ]; then
    status=1
    echo "  $t failed (exit $code): see fuzz/$log"
    grep -m3 -E 'panicked|ERROR|assert' "$log" | sed 's/^/  /' || true
  fi
done
exit "$status"
