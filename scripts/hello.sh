#!/usr/bin/env bash
# scripts/hello.sh — the README's first quick-start command.
#
# Installs what is needed, compiles examples/hello.erl with erlc, then
# builds it into a PVH image and boots it under QEMU microvm (KVM where it
# works, else TCG) with `xbeam run`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
mkdir -p .cache/examples
erlc -o .cache/examples examples/hello.erl
npx xbeam build -o .cache/examples/hello.pvh.elf .cache/examples/hello.beam
npx xbeam run .cache/examples/hello.pvh.elf
