#!/usr/bin/env python3
"""Reduce every skill of a corpus into a scratch folder and check the laws:
every skill is reduced, unchanged or declined with a reason; nothing written loses
content (the faithfulness check); reducing the output again changes nothing; and the
reduced skills lint clean of errors. Prints the savings. Usage: reduce-corpus.py BIN CORPUS"""
import json, os, subprocess, sys, tempfile, statistics, collections

binary, corpus = sys.argv[1], sys.argv[2].rstrip("/")
out = tempfile.mkdtemp(prefix="reduce-corpus-")
run = subprocess.run([binary, "reduce", "--no-config", corpus, "--out", out, "--format", "json"],
                     capture_output=True, text=True)
if run.returncode not in (0, 1):
    sys.exit(f"reduce exited {run.returncode}: {run.stderr[-2000:]}")
doc = json.loads(run.stdout)
skills = doc["skills"]
status = collections.Counter(s["outcome"]["status"] for s in skills)
print(f"skills: {len(skills)}; " + ", ".join(f"{k} {v}" for k, v in sorted(status.items())))
reasons = collections.Counter()
for s in skills:
    o = s["outcome"]
    if o["status"] == "declined":
        if not o.get("reason"):
            sys.exit(f"{s['skill']}: declined without a reason")
        r = o["reason"]
        rule = r[r.rfind("(") + 1 : r.rfind(")")] if r.endswith(")") or "; fix" in r else ""
        kind = "still has lint errors" if "still have" in r else r.split(" (")[0].split(";")[0][:60]
        reasons[f"{kind} {rule}".strip()] += 1
    if o["status"] == "unfaithful":
        print(f"  would lose content, not written: {s['skill']}: {o['missing'][:3]}")
for r, n in reasons.most_common(10):
    print(f"  declined {n:4d}: {r}")
if status.get("unfaithful"):
    sys.exit("reduce produced plans that would lose content (see above)")

reduced = [s for s in skills if s["outcome"]["status"] == "reduced"]
def out_path(skill):
    rel = os.path.relpath(skill, corpus)
    return os.path.join(out, rel)
dirs = [out_path(s["skill"]) for s in reduced]

# Idempotence: reducing the reduced skills again changes nothing.
again = subprocess.run([binary, "reduce", "--no-config", "--diff", *dirs], capture_output=True, text=True)
if again.returncode not in (0, 1) or again.stdout.strip():
    print(again.stdout[:3000])
    sys.exit("reducing the reduced skills again would change them")
print(f"idempotence: reducing {len(dirs)} reduced skills again changes nothing")

# The reduced skills lint clean of errors.
lint = subprocess.run([binary, "lint", "--no-config", "--format", "json", *dirs], capture_output=True, text=True)
if lint.returncode not in (0, 1):
    sys.exit(f"lint exited {lint.returncode}: {lint.stderr[-2000:]}")
errors = [f for f in json.loads(lint.stdout)["findings"] if f["severity"] == "error"]
for f in errors[:10]:
    print(f"  {f['path']}:{f['start']['line']}: {f['code']} {f['message']}")
if errors:
    sys.exit(f"{len(errors)} lint errors in reduced skills")
print(f"lint: no errors in the {len(dirs)} reduced skills")

t = doc["totals"]
def cut(b, a):
    return 0.0 if b == 0 else 100.0 * (1 - a / b)
always = [cut(s["listing_before"] + s["body_before"], s["listing_after"] + s["body_after"]) for s in reduced]
desc = [cut(s["description_before"], s["description_after"]) for s in reduced if s["description_before"] > 0]
body = [cut(s["body_before"], s["body_after"]) for s in reduced]
print(f"always-loaded tokens (listing + body) of reduced skills: {t['always_loaded_before']} -> {t['always_loaded_after']}")
print(f"  per skill: mean -{statistics.mean(always):.1f}%, median -{statistics.median(always):.1f}%")
print(f"  body: mean -{statistics.mean(body):.1f}%, median -{statistics.median(body):.1f}%")
print(f"  description: mean {-statistics.mean(desc):+.1f}%, median {-statistics.median(desc):+.1f}% (negative = shorter)")
for how in ("tightened", "generated", "kept"):
    d = [cut(s["description_before"], s["description_after"]) for s in reduced
         if s["description"] == how and s["description_before"] > 0]
    if d:
        print(f"    {how:9s} {len(d):4d} skills: mean {-statistics.mean(d):+.1f}%, median {-statistics.median(d):+.1f}%")
