// bench/programs.ts — every program of bench/programs/: xbeam against erl, in one run.
//
// In: bench/programs/NAME.erl; each times its own workload with
// erlang:monotonic_time(microsecond) and displays {NAME, Result, Micros}.
// Out: a table of the times under erl (BEAM's JIT) and under xbeam (the
// linux target; the same in generic mode, where data instructions go
// through one runtime routine; and the pvh target under QEMU), and the
// ratios xbeam/erl (below 1 means xbeam is faster).  Results must agree.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { build } from "../loader/build.js";
import { ROOT } from "../loader/paths.js";
import { kvmUsable, runImage } from "../loader/vmm.js";

const SRC = join(ROOT, "bench/programs");
const OUT = join(ROOT, ".cache/bench");
mkdirSync(OUT, { recursive: true });
const names = readdirSync(SRC).filter((f) => f.endsWith(".erl")).map((f) => f.slice(0, -4)).sort();
execFileSync("erlc", ["-o", OUT, ...names.map((n) => join(SRC, `${n}.erl`))]);

/** {Name,Result,Micros} as erlang:display prints it. */
function parse(out: string, name: string): { result: string; micros: number } {
  const m = new RegExp(`^\\{${name},(.*),(\\d+)\\}\\r?$`, "m").exec(out);
  if (!m) throw new Error(`${name}: unexpected output ${JSON.stringify(out)}`);
  return { result: m[1]!, micros: Number(m[2]) };
}

const rows: string[] = [];
const pad = (s: string, n: number) => s.padStart(n);
rows.push(`${"program".padEnd(8)} ${pad("erl ms", 9)} ${pad("linux ms", 9)} ${pad("ratio", 7)} ${pad("generic", 9)} ${pad("ratio", 7)} ${pad("pvh ms", 9)} ${pad("ratio", 7)}`);
for (const name of names) {
  const erl = spawnSync("erl", ["-noshell", "-pa", OUT, "-eval", `${name}:main(), halt().`]);
  const e = parse(erl.stdout.toString(), name);
  const linuxImage = join(OUT, `${name}.linux.elf`);
  await build({ inputs: [join(OUT, `${name}.beam`)], output: linuxImage, target: "linux" });
  const x = parse(spawnSync(linuxImage).stdout.toString(), name);
  if (x.result !== e.result) throw new Error(`${name}: xbeam computed ${x.result}, erl ${e.result}`);
  // The same program with every data instruction through the one generic routine.
  const genericImage = join(OUT, `${name}.generic.elf`);
  await build({ inputs: [join(OUT, `${name}.beam`)], output: genericImage, target: "linux", generic: true });
  const g = parse(spawnSync(genericImage).stdout.toString(), name);
  let pvh = "-", pvhRatio = "-";
  if (kvmUsable()) {
    const pvhImage = join(OUT, `${name}.pvh.elf`);
    await build({ inputs: [join(OUT, `${name}.beam`)], output: pvhImage, target: "pvh" });
    const r = await runImage(pvhImage, { target: "pvh" });
    const p = parse(r.stdout.toString(), name);
    pvh = (p.micros / 1000).toFixed(1);
    pvhRatio = (p.micros / e.micros).toFixed(2);
  }
  rows.push(`${name.padEnd(8)} ${pad((e.micros / 1000).toFixed(1), 9)} ${pad((x.micros / 1000).toFixed(1), 9)} ${pad((x.micros / e.micros).toFixed(2), 7)} ` +
    `${pad((g.micros / 1000).toFixed(1), 9)} ${pad((g.micros / e.micros).toFixed(2), 7)} ${pad(pvh, 9)} ${pad(pvhRatio, 7)}`);
}
console.log("programs: time of each workload, measured inside the program (xbeam/erl: below 1 is faster)");
console.log(rows.join("\n"));
