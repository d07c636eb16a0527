#!/usr/bin/env bash
# scripts/bench.sh — `npm run bench`: every benchmark, as ratios against erl.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --full
node dist/bench/disasm.js "$@"
