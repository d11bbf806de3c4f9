#!/usr/bin/env python3
"""Checks `skillpress audit` as a user would, on real trees.

    audit-check.py BIN OUTDIR TREE...

For each TREE: runs `BIN audit TREE --json --html`, validates the JSON against
docs/audit.schema.json (python `jsonschema`), compares the skill count and the missing
descriptions with an independent count made here from the SKILL.md files themselves,
and, for the first tree, renders the HTML in headless Chromium to a PNG whose size and
pixels must show a page, not a blank. Exits non-zero on any failure.
"""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import zlib

import jsonschema
import yaml

HERE = os.path.dirname(os.path.realpath(__file__))
SCHEMA = os.path.join(HERE, "..", "docs", "audit.schema.json")


def manifests(root):
    for dp, dn, fn in os.walk(root):
        dn[:] = [d for d in dn if d != ".git"]
        if "SKILL.md" in fn:
            yield os.path.join(dp, "SKILL.md")
        elif "skill.md" in fn:
            yield os.path.join(dp, "skill.md")


def has_description(path):
    """Whether the manifest yields a non-empty description, read without skillpress."""
    try:
        text = open(path, "rb").read().decode("utf-8")
    except (UnicodeDecodeError, OSError):
        return False
    if "\0" in text:
        return False
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return False
    for end in range(1, len(lines)):
        if lines[end].rstrip() in ("---", "..."):
            break
    else:
        return False
    block = "\n".join(lines[1:end])
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError:
        # A forgiving reading: the `description:` line and its indented continuation.
        for i in range(1, end):
            m = re.match(r"description:(.*)$", lines[i])
            if m:
                value = m.group(1).strip().strip("'\"").strip("|>-+ ")
                rest = [l for l in lines[i + 1:end] if l[:1] in (" ", "\t")]
                return bool(value) or any(l.strip() for l in rest)
        return False
    if not isinstance(data, dict):
        return False
    value = data.get("description")
    if value is None or isinstance(value, (list, dict)):
        return False
    return bool(str(value).strip())


def png_pixels(path):
    """Width, height and rows of RGB(A) tuples of an 8-bit non-interlaced PNG."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and colour in (2, 6), f"unsupported PNG {depth}/{colour}"
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return width, height, rows, bpp


def screenshot(html, png):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        sys.exit("chromium not found")
    profile = tempfile.mkdtemp(prefix="audit-chromium-")
    try:
        subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             "--hide-scrollbars", "--window-size=1280,2400",
             f"--screenshot={png}", "file://" + os.path.abspath(html)],
            check=True, capture_output=True, timeout=120)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    size = os.path.getsize(png)
    width, height, rows, bpp = png_pixels(png)
    # A sample of pixels: a blank page is one colour; ours has text, bars and cards.
    colours = set()
    for y in range(0, height, 13):
        for x in range(0, width, 11):
            colours.add(bytes(rows[y][x * bpp:x * bpp + 3]))
    dark = sum(1 for y in range(0, height, 13) for x in range(0, width, 11)
               if sum(rows[y][x * bpp:x * bpp + 3]) < 200)
    print(f"  screenshot {png}: {width}x{height}, {size} bytes, {len(colours)} colours sampled, {dark} dark samples")
    if size < 20_000 or len(colours) < 20 or dark < 50:
        sys.exit("the screenshot looks blank")


def main():
    binary, outdir, trees = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(outdir, exist_ok=True)
    validator = jsonschema.Draft202012Validator(json.load(open(SCHEMA)))
    failed = False
    for i, tree in enumerate(trees):
        name = os.path.basename(os.path.normpath(tree))
        js, html = os.path.join(outdir, f"audit-{name}.json"), os.path.join(outdir, f"audit-{name}.html")
        start = time.time()
        run = subprocess.run([binary, "audit", tree, "--json", js, "--html", html],
                             capture_output=True, text=True)
        took = time.time() - start
        if run.returncode != 0:
            sys.exit(f"audit exited {run.returncode} on {tree}: {run.stderr[-2000:]}")
        doc = json.load(open(js))
        errors = list(validator.iter_errors(doc))
        for e in errors[:10]:
            print(f"  schema: {'/'.join(map(str, e.path))}: {e.message}")
        found = list(manifests(tree))
        missing = sum(1 for m in found if not has_description(m))
        got = (doc["skills"], doc["description"]["missing"]["count"])
        print(f"{tree}: {took:.1f} s; skills {got[0]} (counted here {len(found)}), "
              f"missing descriptions {got[1]} (counted here {missing}); schema errors {len(errors)}")
        if errors or got != (len(found), missing):
            failed = True
        if i == 0:
            screenshot(html, os.path.join(outdir, f"audit-{name}.png"))
    if failed:
        sys.exit("audit check failed")


if __name__ == "__main__":
    main()
