#!/usr/bin/env python3
"""Findings per rule over one or more corpora, with a deterministic sample to judge.

    scripts/rule-precision.py BIN CORPUS [CORPUS ...] [--sample N] [--json FILE]

Runs `BIN lint CORPUS --format json --no-config` (default settings, every rule), prints
for each corpus the number of findings per rule and, per rule, a sample of N findings
(default 5) with file:line, message and the source line, for a person to judge correct
or not (docs/precision.md holds the judgements). The sample is chosen by a hash of each
finding's path, line and message, so it is the same on every run over the same data and
does not favour the first skills in directory order. Exits non-zero when lint exits 2
(a tool error) or its JSON does not parse.
"""

import argparse
import collections
import hashlib
import json
import os
import subprocess
import sys


def lint(binary, corpus):
    run = subprocess.run(
        [binary, "lint", corpus, "--format", "json", "--no-config"],
        capture_output=True,
        text=True,
    )
    if run.returncode not in (0, 1):
        sys.exit(f"lint exited {run.returncode} on {corpus}: {run.stderr[-2000:]}")
    return json.loads(run.stdout)


def key(finding):
    text = f"{finding['path']}:{finding['start']['line']}:{finding['message']}"
    return hashlib.sha256(text.encode()).hexdigest()


def source_line(path, line):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for i, text in enumerate(f, 1):
                if i == line:
                    return text.rstrip("\n")[:200]
    except OSError as e:
        return f"<{e.strerror}>"
    return ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("corpora", nargs="+")
    ap.add_argument("--sample", type=int, default=5)
    ap.add_argument("--json", help="write counts and samples here")
    args = ap.parse_args()

    report = {}
    for corpus in args.corpora:
        if not os.path.isdir(corpus):
            sys.exit(f"corpus not found: {corpus}")
        doc = lint(args.binary, corpus)
        findings = doc["findings"]
        by_rule = collections.defaultdict(list)
        for f in findings:
            by_rule[f"{f['code']} {f['name']}"].append(f)
        skills = doc["summary"]["skills"]
        print(f"\n### {corpus}: {skills} skills, {len(findings)} findings")
        print(f"{'findings':>9} {'files':>7}  rule")
        for rule in sorted(by_rule):
            hit = {f["path"] for f in by_rule[rule]}
            print(f"{len(by_rule[rule]):9d} {len(hit):7d}  {rule}")
        samples = {}
        for rule in sorted(by_rule):
            chosen = sorted(by_rule[rule], key=key)[: args.sample]
            samples[rule] = chosen
            print(f"\n-- {rule}: sample of {len(chosen)} of {len(by_rule[rule])}")
            for i, f in enumerate(chosen, 1):
                line = f["start"]["line"]
                print(f"  {i}. {f['path']}:{line}: {f['message']}")
                print(f"     | {source_line(f['path'], line)}")
        report[corpus] = {
            "skills": skills,
            "counts": {r: len(v) for r, v in sorted(by_rule.items())},
            "samples": {
                r: [
                    {"path": f["path"], "line": f["start"]["line"], "message": f["message"]}
                    for f in v
                ]
                for r, v in samples.items()
            },
        }
    if args.json:
        with open(args.json, "w") as out:
            json.dump(report, out, indent=1)


if __name__ == "__main__":
    main()
