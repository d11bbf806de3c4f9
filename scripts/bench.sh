#!/usr/bin/env bash
# Speed and memory of skillpress on this machine. Needs hyperfine and GNU time
# (`apt-get install hyperfine time`). Usage: scripts/bench.sh [CORPUS]
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpus}"
cargo build --release --quiet
bin="$PWD/target/release/skillpress"
# The skill whose SKILL.md has the median size: a typical pre-commit run.
one=$(python3 -c '
import os, sys
paths = sorted(os.path.join(d, "SKILL.md") for d, _, fs in os.walk(sys.argv[1]) if "SKILL.md" in fs)
paths.sort(key=os.path.getsize)
print(os.path.dirname(paths[len(paths) // 2]))' "$corpus")
mb=$(( $(du -sb "$corpus" | cut -f1) / 1000000 ))
skills=$(find "$corpus" -name SKILL.md | wc -l)

echo "machine: $(nproc) cores, $(uname -sr); date: $(date -u +%F)"
echo "one skill: $one ($(wc -c < "$one/SKILL.md") bytes, the median SKILL.md)"
echo "corpus: $corpus ($skills skills, ${mb} MB on disk)"
echo

# Cold single-skill runs: a pre-commit hook's case. -N: no shell in between.
hyperfine -N -i --warmup 5 --runs 50 --export-markdown target/bench-one.md \
  "$bin lint $one --format concise" \
  "$bin tokens $one"

# Whole corpus, exact token counts included in lint.
hyperfine -N --warmup 1 --runs 5 -i --export-markdown target/bench-corpus.md \
  "$bin lint $corpus --format json" \
  "$bin tokens $corpus --format json" \
  "$bin reduce $corpus --format json"

for cmd in "lint $corpus --format json" "tokens $corpus --format json" "reduce $corpus --format json"; do
  /usr/bin/time -v "$bin" $cmd > /dev/null 2> target/time.txt || true
  rss=$(awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}' target/time.txt)
  wall=$(awk -F': ' '/Elapsed \(wall/ {print $2}' target/time.txt)
  echo "skillpress $cmd: wall $wall, peak RSS $((rss / 1024)) MB"
done
