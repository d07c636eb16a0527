#!/usr/bin/env bash
# scripts/suites.sh — `npm run suites [-- --check FILE | --update FILE] [SUITE...]`:
# OTP's test suites (the seed table's 19 by default) inside xbeam images,
# and the table.  Installs what it needs (scripts/setup.sh), fetches OTP's
# source once (scripts/otp-source.sh) and hands over to scripts/suites.ts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
tree=$(bash scripts/otp-source.sh)
exec node dist/scripts/suites.js "$tree" "$@"
