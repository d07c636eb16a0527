// scripts/suites.ts — `npm run suites`: OTP's own test suites inside xbeam
// images, and the conformance table.
//
// In:  the OTP source tree (scripts/otp-source.sh prints its path: argv[2]),
//      optional suite names (default: the seed table's 19 and map_SUITE), and
//        --check FILE   fail when a case listed in FILE does not pass
//        --update FILE  write the cases that pass to FILE
//        --vmm VMM      boot pvh images under VMM (qemu, xen-dom0, xen-guest) instead
//                       of running linux images
// Out: a table on stdout (suite, cases, passed, failed, skipped, wall time,
//      totals); every case's line in .cache/suites/results.txt, each
//      suite's stderr in .cache/suites/logs/.  Status 1 when --check finds a
//      regression.
// Each suite is compiled with Debian's erlc from inside its own directory
// (exception_SUITE's line numbers name the file as erlc saw it), with the
// helper module of that directory, into .cache/suites/ebin/, and run with
// `xbeam test-suite --target linux` (or --target pvh --vmm VMM), two at a time.

import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ROOT, CACHE_DIR } from "../loader/paths.js";

const EMU = "erts/emulator/test";
const STDLIB = "lib/stdlib/test";
/** The seed table of the suites issue, and map_SUITE (the maps of the data issue). */
const SEED = [
  "lists", "tuple", "list_bif", "binary", "bs_bincomp", "bs_bit_binaries", "bs_construct", "bs_match_bin",
  "bs_match_int", "bs_match_misc", "bs_match_tail", "bs_utf", "big", "exception", "float", "fun",
  "guard", "num_bif", "ref", "map",
].map((s) => `${s}_SUITE`);
/** Helper modules each test directory's suites call. */
const HELPERS: Record<string, string[]> = { [EMU]: ["erts_test_utils"], [STDLIB]: ["error_info_lib"] };
/** A case waiting for what never comes fails after this; ref_SUITE:wrap_1 waits 30 s by design,
 *  and binary_SUITE:bad_terms (every byte of each test term's encoding corrupted, plain and
 *  compressed, and decoded) takes about as long. */
const TIMETRAP_CAP_S = 90;
/** A whole suite image is stopped after this. */
const SUITE_TIMEOUT_S = 1200;

const args = process.argv.slice(2);
const tree = args.shift();
if (!tree || !existsSync(join(tree, EMU))) {
  process.stderr.write("usage: suites.ts OTP-TREE [--check FILE] [--update FILE] [--vmm qemu|xen-dom0|xen-guest] [SUITE...]\n");
  process.exit(2);
}
let check: string | undefined, update: string | undefined, vmm: string | undefined;
const names: string[] = [];
while (args.length) {
  const a = args.shift()!;
  if (a === "--check") check = args.shift();
  else if (a === "--update") update = args.shift();
  else if (a === "--vmm") vmm = args.shift();
  else names.push(a.endsWith("_SUITE") ? a : `${a}_SUITE`);
}
const suites = names.length ? names : SEED;

const out = join(CACHE_DIR, "suites");
const ebin = join(out, "ebin");
const logs = join(out, "logs");
mkdirSync(ebin, { recursive: true });
mkdirSync(logs, { recursive: true });
const ctInclude = execFileSync("sh", ["-c", "ls -d /usr/lib/erlang/lib/common_test-*/include | tail -1"]).toString().trim();

const dirOf = (suite: string) => (existsSync(join(tree, STDLIB, `${suite}.erl`)) && !existsSync(join(tree, EMU, `${suite}.erl`)) ? STDLIB : EMU);

/** erlc, from inside the source's directory, unless the .beam is newer. */
function compile(dir: string, module: string): string {
  const src = join(tree!, dir, `${module}.erl`);
  const beam = join(ebin, `${module}.beam`);
  if (!existsSync(src)) throw new Error(`${src}: no such suite or helper`);
  if (!existsSync(beam) || statSync(beam).mtimeMs < statSync(src).mtimeMs) {
    execFileSync("erlc", ["-I", ctInclude, "-o", resolve(ebin), `${module}.erl`], { cwd: join(tree!, dir), stdio: ["ignore", "ignore", "pipe"] });
  }
  return beam;
}

interface Outcome {
  suite: string;
  lines: string[];
  passed: number;
  failed: number;
  skipped: number;
  complete: boolean;
  seconds: number;
}

function runSuite(suite: string): Promise<Outcome> {
  const dir = dirOf(suite);
  const beams = [compile(dir, suite), ...(HELPERS[dir] ?? []).map((h) => compile(dir, h))];
  const t0 = Date.now();
  const cli = join(ROOT, "dist/cli/xbeam.js");
  const host = vmm ? ["--target", "pvh", "--vmm", vmm] : ["--target", "linux"];
  const argv = [cli, "test-suite", ...host, "--timetrap-cap", String(TIMETRAP_CAP_S), "--timeout", String(SUITE_TIMEOUT_S),
    "--data-dir", join(tree!, dir, `${suite}_data`), ...beams];
  return new Promise((done) => {
    execFile("node", argv, { maxBuffer: 1 << 28, encoding: "latin1" }, (_e, stdout, stderr) => {
      writeFileSync(join(logs, `${suite}${vmm ? `.${vmm}` : ""}.log`), stderr, "latin1");
      const lines = stdout.split("\n").filter((l) => l.startsWith(`${suite}:`));
      const count = (w: string) => lines.filter((l) => l.split(" ")[1] === w).length;
      done({
        suite, lines, passed: count("ok"), failed: count("FAILED"), skipped: count("SKIPPED"),
        complete: /^\d+ passed, \d+ failed, \d+ skipped$/m.test(stdout), seconds: (Date.now() - t0) / 1000,
      });
    });
  });
}

async function main(): Promise<void> {
  const results: Outcome[] = new Array(suites.length);
  let next = 0;
  const worker = async () => {
    while (next < suites.length) {
      const i = next++;
      results[i] = await runSuite(suites[i]!);
      const r = results[i]!;
      process.stderr.write(`suites: ${r.suite}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped${r.complete ? "" : " (the image stopped early: see its log)"}, ${r.seconds.toFixed(1)} s\n`);
    }
  };
  await Promise.all([worker(), worker()]);

  const rows = results.map((r) => [r.suite + (r.complete ? "" : " *"), r.lines.length, r.passed, r.failed, r.skipped, `${r.seconds.toFixed(1)} s`]);
  const sum = (k: number) => rows.reduce((n, r) => n + (r[k] as number), 0);
  const total = ["total", sum(1), sum(2), sum(3), sum(4), `${results.reduce((n, r) => n + r.seconds, 0).toFixed(1)} s`];
  const header = ["suite", "cases", "passed", "failed", "skipped", "wall"];
  const table = [header, ...rows, total];
  const widths = header.map((_, k) => Math.max(...table.map((r) => String(r[k]).length)));
  const line = (r: (string | number)[]) => "| " + r.map((c, k) => (k === 0 ? String(c).padEnd(widths[k]!) : String(c).padStart(widths[k]!))).join(" | ") + " |";
  const rule = "|" + widths.map((w, k) => (k === 0 ? ":" + "-".repeat(w + 1) : "-".repeat(w + 1) + ":")).join("|") + "|";
  process.stdout.write([line(header), rule, ...rows.map(line), line(total)].join("\n") + "\n");
  if (results.some((r) => !r.complete)) process.stdout.write("* the image stopped before the suite's end: its log is in .cache/suites/logs/\n");
  process.stdout.write(`suites: ${sum(2)} passed, ${sum(3)} failed, ${sum(4)} skipped, of ${sum(1)} cases\n`);

  const all = results.flatMap((r) => r.lines);
  writeFileSync(join(out, `results${vmm ? `.${vmm}` : ""}.txt`), all.join("\n") + "\n");
  const passing = new Set(all.filter((l) => l.endsWith(" ok")).map((l) => l.split(" ")[0]!));
  if (update) {
    const kept = existsSync(update) ? readFileSync(update, "utf8").split("\n").filter((l) => l && !l.startsWith("#") && !suites.includes(l.split(":")[0]!)) : [];
    const body = [...kept, ...passing].sort();
    writeFileSync(update, "# Cases of OTP's suites that pass in an xbeam image (npm run suites -- --update FILE).\n# CI fails when one of them stops passing.\n" + body.join("\n") + "\n");
  }
  if (check) {
    const expected = readFileSync(check, "utf8").split("\n").filter((l) => l && !l.startsWith("#") && suites.includes(l.split(":")[0]!));
    const lost = expected.filter((c) => !passing.has(c));
    for (const c of lost) process.stdout.write(`suites: REGRESSION: ${c} passed before and does not now: ${all.find((l) => l.startsWith(c + " ")) ?? "no result"}\n`);
    if (lost.length) process.exitCode = 1;
  }
}

void main();
