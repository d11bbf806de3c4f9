#!/usr/bin/env bash
# Exact tokenizer throughput (MB/s on one core) on a skill corpus, against tiktoken-rs.
# Usage: scripts/tokenizer-speed.sh [CORPUS]   (default ../shared/corpus)
set -euo pipefail
cd "$(dirname "$0")/.."
corpus="${1:-../shared/corpus}"
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 1; }
echo "machine: $(nproc) cores (shared, loaded: $(cut -d' ' -f1-3 /proc/loadavg)); date: $(date -u +%F)"
cargo run --release --quiet --example tokenizer_speed -- "$corpus"
