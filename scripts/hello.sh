#!/usr/bin/env bash
# scripts/hello.sh — the README's first quick-start command.
#
# Installs what is needed, compiles examples/hello.erl with erlc, and shows
# it through xbeam.  Until the code generator lands (issue 3) this stops at
# the disassembly; it will then build and boot the image instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p .cache/examples
erlc -o .cache/examples examples/hello.erl
npx xbeam disasm .cache/examples/hello.beam
