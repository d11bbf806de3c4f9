#!/usr/bin/env bash
# Routing check of reduce, offline: queries from the original bodies of CORPUS, BM25
# over all descriptions before and after reduce (REDUCED, as written by
# `skillpress reduce CORPUS --out REDUCED`). Fails when reduce lowers top-1 or top-3.
# Usage: scripts/route-check.sh CORPUS REDUCED
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release --quiet --example route_check -- "$1" "$2"
