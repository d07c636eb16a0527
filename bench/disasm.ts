// bench/disasm.ts — reading .beam files: xbeam against OTP's beam_disasm.
//
// In: the installed OTP (every .beam under code:root_dir()/lib).
// Out: a table on stdout: time for xbeam to parse and decode every file
// (container, all tables, literals, every instruction; no printing) in this
// one process, cold (the first pass, JIT warm-up included) and warm (the
// median of further passes), and time for beam_disasm:file/1 over the same
// files in one erl process, measured in the same run; and their ratios.

import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeBeam } from "../compiler/index.js";
import { median } from "./report.js";

function erl(expr: string): string {
  return execFileSync("erl", ["-noshell", "-eval", `${expr}, halt().`], { maxBuffer: 1 << 28 }).toString();
}

function beamFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...beamFiles(p));
    else if (name.endsWith(".beam")) out.push(p);
  }
  return out;
}

function decodeAll(files: readonly string[]): number {
  const t0 = performance.now();
  let instrs = 0;
  for (const f of files) instrs += decodeBeam(readFileSync(f), f).code.length;
  const ms = performance.now() - t0;
  if (instrs === 0) throw new Error("decoded nothing");
  return ms;
}


const root = erl('io:format("~s", [code:root_dir()])');
const files = beamFiles(join(root, "lib"));
const bytes = files.reduce((n, f) => n + statSync(f).size, 0);

const cold = decodeAll(files);
const warm = median([1, 2, 3, 4, 5].map(() => decodeAll(files)));

const list = join(tmpdir(), `xbeam-bench-${process.pid}.txt`);
writeFileSync(list, files.join("\n"));
// beam_disasm in one erl process: a first pass (module loading included), then the median of three.
const erlTimes = erl(
  `{ok, B} = file:read_file("${list}"), Fs = string:lexemes(binary_to_list(B), "\\n"),
   T = fun() -> T0 = erlang:monotonic_time(microsecond),
                [{beam_file, _, _, _, _, _} = beam_disasm:file(F) || F <- Fs],
                erlang:monotonic_time(microsecond) - T0 end,
   io:format("~w", [[T() || _ <- [1, 2, 3, 4]]])`,
).replace(/[[\]]/g, "").split(",").map((us) => Number(us) / 1000);
const erlCold = erlTimes[0]!, erlWarm = median(erlTimes.slice(1));

const row = (name: string, ms: number, erlMs: number) =>
  `${name.padEnd(22)} ${ms.toFixed(0).padStart(8)} ms ${erlMs.toFixed(0).padStart(8)} ms   xbeam/erl ${(ms / erlMs).toFixed(3)}`;
console.log(`disasm: ${files.length} .beam files, ${(bytes / 1e6).toFixed(1)} MB, under ${join(root, "lib")}`);
console.log(`${"".padEnd(22)} ${"xbeam".padStart(11)} ${"beam_disasm".padStart(11)}`);
console.log(row("first pass (cold)", cold, erlCold));
console.log(row("median of later passes", warm, erlWarm));
