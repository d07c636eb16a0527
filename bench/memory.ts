// bench/memory.ts — memory per process: xbeam against erl, in one run.
//
// In: bench/memory/NAME.erl; each displays {NAME, BytesPerProcess}.
// Out: a table of the bytes per process under erl (64-bit BEAM, whose
// words are twice as wide) and under xbeam (linux target), and the ratio
// xbeam/erl (below 1 means xbeam uses less).

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { build } from "../loader/build.js";
import { ROOT } from "../loader/paths.js";

const SRC = join(ROOT, "bench/memory");
const OUT = join(ROOT, ".cache/bench-memory");
mkdirSync(OUT, { recursive: true });
const names = readdirSync(SRC).filter((f) => f.endsWith(".erl")).map((f) => f.slice(0, -4)).sort();
execFileSync("erlc", ["-o", OUT, ...names.map((n) => join(SRC, `${n}.erl`))]);

function bytes(out: string, name: string): number {
  const m = new RegExp(`^\\{${name},(\\d+)\\}\\r?$`, "m").exec(out);
  if (!m) throw new Error(`${name}: unexpected output ${JSON.stringify(out)}`);
  return Number(m[1]);
}

const rows = [`${"program".padEnd(8)} ${"erl B".padStart(9)} ${"xbeam B".padStart(9)} ${"ratio".padStart(7)}`];
for (const name of names) {
  const e = bytes(spawnSync("erl", ["-noshell", "-pa", OUT, "-eval", `${name}:main(), halt().`]).stdout.toString(), name);
  const image = join(OUT, `${name}.linux.elf`);
  await build({ inputs: [join(OUT, `${name}.beam`)], output: image, target: "linux" });
  const x = bytes(spawnSync(image).stdout.toString(), name);
  rows.push(`${name.padEnd(8)} ${String(e).padStart(9)} ${String(x).padStart(9)} ${(x / e).toFixed(2).padStart(7)}`);
}
console.log("memory: bytes per process (xbeam/erl: below 1 is smaller)");
console.log(rows.join("\n"));
