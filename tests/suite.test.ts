// tests/suite.test.ts — `xbeam test-suite` and its runner (runtime-erl/suite/).
//
// tests/suite/demo_SUITE.erl has a case for each of common_test's rules
// (returns, comments, skips returned/thrown/exited, failures by badmatch,
// ct:fail, a linked process, end_per_testcase's {fail,R}, init_per_testcase's
// skip, a timetrap, groups with their fixtures, tc_status) and for what the
// image provides (data files through file:read_file/open/consult/list_dir,
// a _data module compiled ahead of time, a peer node that skips).  Each
// case's line and the totals are checked, on both targets.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CACHE_DIR, ROOT } from "../loader/paths.js";

const OUT = join(CACHE_DIR, "suite-test");
const SRC = join(ROOT, "tests/suite");

// A failure's stack trace has the case's frames, not the runner's.
const EXPECTED: (string | RegExp)[] = [
  "demo_SUITE:returns_anything ok",
  "demo_SUITE:returns_comment ok",
  "demo_SUITE:skip_returned SKIPPED returned",
  "demo_SUITE:skip_thrown SKIPPED thrown",
  "demo_SUITE:skip_exited SKIPPED exited",
  'demo_SUITE:fails_badmatch FAILED {error,{badmatch,b},[{demo_SUITE,fails_badmatch,1,[{file,"demo_SUITE.erl"},{line,45}]}]}',
  /^demo_SUITE:fails_ct_fail FAILED \{exit,\{test_case_failed,"failed on purpose: 7"\},\[\{ct,fail,2,\[\{file,"ct\.erl"\},\{line,\d+\}\]\}\]\}$/,
  "demo_SUITE:fails_by_linked_exit FAILED linked_died",
  "demo_SUITE:end_per_testcase_fails FAILED end said so",
  "demo_SUITE:init_skips SKIPPED init said so",
  "demo_SUITE:timetrap_expires FAILED {timetrap_timeout,1000}",
  "demo_SUITE:in_outer ok",
  "demo_SUITE:in_inner ok",
  "demo_SUITE:data_files ok",
  "demo_SUITE:consult_file ok",
  "demo_SUITE:prebuilt_module ok",
  "demo_SUITE:no_peer SKIPPED xbeam: no peer nodes in an image",
  "demo_SUITE:tc_status_seen ok",
  "8 passed, 5 failed, 5 skipped",
];

describe("xbeam test-suite", () => {
  mkdirSync(OUT, { recursive: true });
  const include = execFileSync("sh", ["-c", "ls -d /usr/lib/erlang/lib/common_test-*/include | tail -1"]).toString().trim();
  execFileSync("erlc", ["-I", include, "-o", OUT, "demo_SUITE.erl"], { cwd: SRC });

  it.each(["linux", "pvh"] as const)("prints a line per case by common_test's rules, and the totals (%s)", (target) => {
    const r = spawnSync("node", [join(ROOT, "dist/cli/xbeam.js"), "test-suite", "--target", target,
      "--data-dir", join(SRC, "demo_SUITE_data"), join(OUT, "demo_SUITE.beam")], { encoding: "latin1" });
    const lines = r.stdout.split("\n").filter((l) => l !== "");
    expect(lines.length).toBe(EXPECTED.length);
    lines.forEach((l, i) => (typeof EXPECTED[i] === "string" ? expect(l).toBe(EXPECTED[i]) : expect(l).toMatch(EXPECTED[i]!)));
    expect(r.status).toBe(1); // a case failed
  }, 240_000);
});
