#!/usr/bin/env bash
# Runs this repository's pre-commit hooks with pre-commit itself on a scratch git repo:
# the lint hook must fail on a YAML error, the fix hook must quote the value.
# Needs `pip install pre-commit`; builds the crate in pre-commit's own environment.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q
mkdir -p .claude/skills/demo
printf -- '---\nname: demo\ndescription: Use this: when testing\n---\n# Demo\n' > .claude/skills/demo/SKILL.md
git add -A
git -c user.email=ci@example.com -c user.name=ci commit -qm init
if pre-commit try-repo "$repo" skillpress-lint --files .claude/skills/demo/SKILL.md > lint.log 2>&1; then
  cat lint.log; echo "lint hook passed on a YAML error"; exit 1
fi
grep -q 'error F003 yaml-invalid' lint.log || { cat lint.log; exit 1; }
pre-commit try-repo "$repo" skillpress-fix --files .claude/skills/demo/SKILL.md > fix.log 2>&1 || true
grep -q 'description: "Use this: when testing"' .claude/skills/demo/SKILL.md || { cat fix.log; exit 1; }
echo "pre-commit hooks: lint fails on the YAML error, fix quotes the value"
