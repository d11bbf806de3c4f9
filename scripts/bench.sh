#!/usr/bin/env bash
# skillpress at registry scale, against agnix in the same run when it is installed.
#
#   scripts/bench.sh [SHARED]        (default ../shared)
#
# Builds a ~60,000-skill tree with SHARED/bin/make-registry in a temporary folder (hard
# links, a few seconds), then runs `lint`, `tokens`, `reduce --check` and `audit` on it under
# /usr/bin/time -v (wall, peak RSS, CPU%), agnix 0.59.3 (`pip install agnix==0.59.3`;
# `--max-files 0` so it checks every file) on the same tree, and a cold single-skill
# `lint` with hyperfine (`apt-get install hyperfine time`). Prints a markdown table with
# the ratio of agnix's wall time to each command's. Set BENCH_KEEP=DIR to reuse a tree.
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${1:-../shared}"
[ -x "$shared/bin/make-registry" ] || { echo "no $shared/bin/make-registry" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (apt-get install time)" >&2; exit 2; }

cargo build --release --quiet
bin="$PWD/target/release/skillpress"
out="$PWD/target/bench"
mkdir -p "$out"

if [ -n "${BENCH_KEEP:-}" ] && [ -d "$BENCH_KEEP" ]; then
  tree="$BENCH_KEEP"
else
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  tree="$tmp/registry"
  "$shared/bin/make-registry" "$tree" > /dev/null
fi
skills=$(find "$tree" -mindepth 2 -maxdepth 2 -name SKILL.md | wc -l)
mb=$(( $(du -sbl "$tree" | cut -f1) / 1000000 ))

echo "date: $(date -u '+%F %H:%M UTC'); machine: $(nproc) cores, $(uname -sr), shared with other jobs (load $(cut -d' ' -f1-3 /proc/loadavg))"
echo "tree: $skills skills, $mb MB (make-registry $shared)"
echo

# run NAME CMD...: one timed run; exit codes 0 and 1 (findings) are both fine.
declare -A wall rss cpu
run() {
  local name=$1; shift
  local code=0
  /usr/bin/time -v "$@" > "$out/$name.out" 2> "$out/$name.time" || code=$?
  if [ "$code" -gt 1 ]; then
    echo "$name exited $code:" >&2; tail -5 "$out/$name.time" >&2; exit 1
  fi
  wall[$name]=$(awk -F': ' '/Elapsed \(wall clock\)/ {
    n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$out/$name.time")
  rss[$name]=$(awk -F': ' '/Maximum resident/ {printf "%d", $2 / 1024}' "$out/$name.time")
  cpu[$name]=$(awk -F': ' '/Percent of CPU/ {print $2}' "$out/$name.time")
  echo "$name: ${wall[$name]} s, ${rss[$name]} MB, CPU ${cpu[$name]}" >&2
}

run lint "$bin" lint "$tree" --format json
run tokens "$bin" tokens "$tree" --format json
run reduce "$bin" reduce "$tree" --check
run audit "$bin" audit "$tree" --json "$out/audit.json"
have_agnix=0
if command -v agnix > /dev/null; then
  have_agnix=1
  echo "agnix: $(agnix --version)" >&2
  run agnix agnix --max-files 0 --format json "$tree"
else
  echo "agnix not installed (pip install agnix==0.59.3): no ratios" >&2
fi

echo "| command | wall | peak memory | CPU | agnix wall / this wall |"
echo "|---|---|---|---|---|"
for name in lint tokens reduce audit agnix; do
  [ -n "${wall[$name]:-}" ] || continue
  case $name in
    lint) label="\`skillpress lint --format json\`";;
    tokens) label="\`skillpress tokens --format json\`";;
    reduce) label="\`skillpress reduce --check\`";;
    audit) label="\`skillpress audit --json FILE\`";;
    agnix) label="\`agnix --max-files 0 --format json\` ($(agnix --version | cut -d' ' -f2))";;
  esac
  ratio="-"
  if [ "$have_agnix" = 1 ] && [ "$name" != agnix ]; then
    ratio=$(awk -v a="${wall[agnix]}" -v b="${wall[$name]}" 'BEGIN { printf "%.2f", a / b }')
  fi
  echo "| $label | ${wall[$name]} s | ${rss[$name]} MB | ${cpu[$name]} | $ratio |"
done
echo
echo "audit wall / lint wall: $(awk -v a="${wall[audit]}" -v b="${wall[lint]}" 'BEGIN { printf "%.2f", a / b }')"
echo

# One skill, cold: a pre-commit hook's case. The skill whose SKILL.md has the median size.
one=$(find "$tree" -mindepth 2 -maxdepth 2 -name SKILL.md -printf '%s %h\n' | sort -n \
  | awk '{ a[NR] = $2 } END { print a[int((NR + 1) / 2)] }')
echo "one skill: $one ($(wc -c < "$one/SKILL.md") bytes, the median SKILL.md)"
if command -v hyperfine > /dev/null; then
  hyperfine -N -i --warmup 5 --runs 50 --export-markdown "$out/one.md" \
    "$bin lint $one --format concise" > "$out/one.txt"
  grep -E "Time|Range" "$out/one.txt"
else
  echo "hyperfine not installed (apt-get install hyperfine): no single-skill timing"
fi
