#!/usr/bin/env bash
# scripts/test.sh — the README's test command (and CI's, through .ci/run).
#
# Installs everything the tests use, builds, runs the whole vitest suite,
# then OTP's own test suites inside xbeam images (scripts/suites.sh, the
# conformance table), which fail when a case of tests/suites-expected.txt
# no longer passes.  Closes with one line "tests: N passed, N failed,
# N skipped" (vitest's) after the suites' table and totals.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --full
mkdir -p .cache
status=0
npx vitest run --reporter=default --reporter=json --outputFile=.cache/vitest-report.json || status=$?
bash scripts/suites.sh --check tests/suites-expected.txt || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(".cache/vitest-report.json", "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
' || true
exit $status
