#!/usr/bin/env bash
# scripts/setup.sh [--full] — install what xbeam needs, then build it.
#
# Idempotent: Debian packages are installed only when missing (apt-get
# update runs first in that case), npm packages only when node_modules is
# missing or older than package-lock.json, and tsc rebuilds dist/.
#   default: erlang-base, erlang-dev (erlc, beam_disasm), nasm, binutils (ld)
#            and qemu-system-x86 (which brings qboot)
#   --full:  also the `erlang` metapackage, so that the disassembler tests
#            cover every OTP application's .beam files
# Progress goes to stderr; stdout stays for the caller's output.
set -euo pipefail
cd "$(dirname "$0")/.."

debs=(erlang-base erlang-dev nasm binutils qemu-system-x86)
if [[ "${1:-}" == "--full" ]]; then debs+=(erlang); fi

missing=()
for p in "${debs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  sudo=""
  if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: installing npm packages" >&2
  npm ci --no-audit --no-fund >&2
fi

npx tsc -p tsconfig.json >&2
chmod +x dist/cli/xbeam.js
