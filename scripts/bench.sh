#!/usr/bin/env bash
# Speed and memory of skillpress on this machine. Needs hyperfine and GNU time
# (`apt-get install hyperfine time`). Usage: scripts/bench.sh [CORPUS]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpus}"
cargo build --release --quiet
bin="$PWD/target/release/skillpress"
one=$(find "$corpus" -name SKILL.md | sort | head -n 1 | xargs dirname)
mb=$(du -sm "$corpus" | cut -f1)
skills=$(find "$corpus" -name SKILL.md | wc -l)

echo "machine: $(nproc) cores, $(uname -sr); date: $(date -u +%F)"
echo "one skill: $one"
echo "corpus: $corpus ($skills skills, ${mb} MB on disk)"
echo

# Cold single-skill runs: a pre-commit hook's case. -N: no shell in between.
hyperfine -N --warmup 3 --runs 30 --export-markdown target/bench-one.md \
  "$bin lint $one --format concise" \
  "$bin tokens $one" 2>/dev/null || hyperfine -N --warmup 3 --runs 30 \
  "$bin lint $one --format concise"

# Whole corpus, exact token counts included in lint.
hyperfine -N --warmup 1 --runs 5 --export-markdown target/bench-corpus.md \
  "$bin lint $corpus --format json" \
  "$bin tokens $corpus --format json" 2>/dev/null || true

for cmd in "lint $corpus --format json" "tokens $corpus --format json"; do
  /usr/bin/time -v "$bin" $cmd > /dev/null 2> target/time.txt || true
  rss=$(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}' target/time.txt)
  wall=$(awk -F': ' '/Elapsed \(wall/ {print $2}' target/time.txt)
  echo "skillpress $cmd: wall $wall, peak RSS $((rss / 1024)) MB"
done
