#!/usr/bin/env python3
"""Times `skillpress server` as an editor meets it: start-up (spawn to the initialize
result), didOpen to the first diagnostics, and didChange to fresh diagnostics (which
includes the server's debounce), on the corpus skill whose SKILL.md has the median size.
Prints medians over RUNS runs; a measurement, not a test.

usage: scripts/server-timing.py BIN CORPUS [RUNS]
"""
import json, os, statistics, subprocess, sys, time

bin_, corpus = sys.argv[1], sys.argv[2]
runs = int(sys.argv[3]) if len(sys.argv) > 3 else 10
paths = sorted(os.path.join(d, "SKILL.md") for d, _, fs in os.walk(corpus) if "SKILL.md" in fs)
paths.sort(key=os.path.getsize)
manifest = os.path.abspath(paths[len(paths) // 2])
text = open(manifest, encoding="utf-8", errors="replace").read()
uri = "file://" + manifest


def send(p, msg):
    body = json.dumps(msg).encode()
    p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    p.stdin.flush()


def recv(p):
    length = None
    while True:
        line = p.stdout.readline()
        if not line:
            raise SystemExit("server closed its output")
        line = line.strip()
        if not line:
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(p.stdout.read(length))


def until(p, pick):
    while True:
        m = recv(p)
        if pick(m):
            return m


def diagnostics(m):
    return m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri


startup, opened, changed, found = [], [], [], 0
for _ in range(runs):
    t0 = time.perf_counter()
    p = subprocess.Popen([bin_, "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    send(p, {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"processId": None, "capabilities": {}}})
    until(p, lambda m: m.get("id") == 1)
    startup.append(time.perf_counter() - t0)
    send(p, {"jsonrpc": "2.0", "method": "initialized", "params": {}})
    t0 = time.perf_counter()
    send(p, {"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}}})
    found = len(until(p, diagnostics)["params"]["diagnostics"])
    opened.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    send(p, {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": text + "\nOne more line.\n"}]}})
    until(p, diagnostics)
    changed.append(time.perf_counter() - t0)
    send(p, {"jsonrpc": "2.0", "id": 2, "method": "shutdown", "params": None})
    until(p, lambda m: m.get("id") == 2)
    send(p, {"jsonrpc": "2.0", "method": "exit", "params": None})
    p.wait(timeout=10)

ms = lambda xs: f"{statistics.median(xs) * 1e3:.1f} ms (min {min(xs) * 1e3:.1f})"
print(f"skill: {manifest} ({os.path.getsize(manifest)} bytes, the median SKILL.md; {found} diagnostics)")
print(f"startup, spawn to initialize result: {ms(startup)}")
print(f"didOpen to diagnostics:              {ms(opened)}")
print(f"didChange to diagnostics:            {ms(changed)} (includes the 200 ms debounce)")
print(f"medians of {runs} runs of {bin_}")
