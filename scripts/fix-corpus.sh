#!/usr/bin/env bash
# --fix on a copy of a corpus converges, and every SKILL.md it touched then parses as
# strict YAML. Usage: scripts/fix-corpus.sh BIN CORPUS
set -euo pipefail
bin="$1"
corpus="$2"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$corpus" "$work/copy"
chmod -R u+w "$work/copy"

"$bin" lint "$work/copy" --fix --format concise > "$work/first.txt" || true
tail -n 1 "$work/first.txt"

# A second pass must find nothing left to fix.
"$bin" lint "$work/copy" --diff --format concise > "$work/second.txt" || true
if grep -q '^--- a/' "$work/second.txt"; then
  echo "fixes did not converge: a second --fix would change:"
  grep '^--- a/' "$work/second.txt" | head
  exit 1
fi

touched=$(diff -rq "$corpus" "$work/copy" | awk '/^Files/ {print $4}' || true)
n=$(printf '%s\n' "$touched" | grep -c . || true)
echo "files touched by --fix: $n"
[ "$n" -gt 0 ] || exit 0
"$bin" lint $touched --select F002,F003,F004 --format concise --no-config > "$work/after.txt" || true
if grep -q ': error F00[234]' "$work/after.txt"; then
  echo "touched files whose frontmatter still fails strict YAML:"
  grep ': error F00[234]' "$work/after.txt" | head -20
  exit 1
fi
echo "every touched frontmatter parses as strict YAML"
