#!/usr/bin/env bash
# scripts/test.sh — the README's test command (and CI's, through .ci/run).
#
# Installs everything the tests use, builds, runs the whole vitest suite,
# then OTP's own test suites inside xbeam images (scripts/suites.sh, the
# conformance table), which fail when a case of tests/suites-expected.txt
# no longer passes, and some of them under the real Xen.  Closes with one line "tests: N passed, N failed,
# N skipped" (vitest's) after the suites' table and totals.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --full
mkdir -p .cache
status=0
npx vitest run --reporter=default --reporter=json --outputFile=.cache/vitest-report.json || status=$?
bash scripts/suites.sh --check tests/suites-expected.txt || status=$?
# Some of them again under the real Xen (4.17, under QEMU's TCG): five
# with the image as Xen's PVH dom0, two with it as a guest domain that a
# Linux dom0 creates.
bash scripts/suites.sh --vmm xen-dom0 --check tests/suites-expected.txt \
  bs_match_tail bs_match_bin bs_match_int guard tuple || status=$?
bash scripts/suites.sh --vmm xen-guest --check tests/suites-expected.txt \
  bs_match_tail guard || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(".cache/vitest-report.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
' || true
exit $status
