#!/usr/bin/env bash
# scripts/bench.sh — `npm run bench`: every benchmark, as ratios against erl
# (or, for booting, against an empty image), measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --full
node dist/bench/disasm.js
node dist/bench/programs.js
node dist/bench/memory.js
node dist/bench/boot.js
