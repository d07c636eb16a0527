// Differential tests: Erlang programs run under erl and under xbeam.
//
// Each tests/programs/NAME.erl exports main/0.  It is compiled with erlc,
// run with `erl -noshell -eval 'NAME:main(), halt().'`, built into an image
// and run; stdout must be byte-identical and the exit status the same.  When
// a program crashes, erl's own report of the crash (which `-eval` prints to
// stdout) is not part of the comparison: only what the program printed.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build } from "../loader/build.js";
import { runImage } from "../loader/vmm.js";
import { CACHE, ROOT } from "./helpers/erl.js";

const SRC = join(ROOT, "tests/programs");
const OUT = join(CACHE, "programs");
const programs = readdirSync(SRC).filter((f) => f.endsWith(".erl")).map((f) => f.slice(0, -4)).sort();

function underErl(name: string): { stdout: Buffer; status: number } {
  const r = spawnSync("erl", ["-noshell", "-pa", OUT, "-eval", `${name}:main(), halt().`], {
    // (TZ: an image's local time is UTC; erl's is, with TZ=UTC.)
    env: { ...process.env, ERL_CRASH_DUMP_SECONDS: "0", TZ: "UTC" },
  });
  let stdout = r.stdout;
  const report = stdout.indexOf('{"init terminating in do_boot"');
  if (r.status === 1 && report >= 0) stdout = stdout.subarray(0, report);
  return { stdout, status: r.status ?? -1 };
}

describe("programs print the same under xbeam as under erl", () => {
  mkdirSync(OUT, { recursive: true });
  execFileSync("erlc", ["-o", OUT, ...programs.map((p) => join(SRC, `${p}.erl`))]);

  it.each(programs)("%s (linux target)", async (name) => {
    const want = underErl(name);
    const image = join(OUT, `${name}.linux.elf`);
    await build({ inputs: [join(OUT, `${name}.beam`)], output: image, target: "linux" });
    const got = spawnSync(image, [], { timeout: 60_000 });
    expect(got.stdout.toString("latin1")).toBe(want.stdout.toString("latin1"));
    expect(got.status).toBe(want.status);
    if (want.status === 1) expect(got.stderr.toString()).toMatch(/^xbeam: uncaught error: /m);
  });

  it.each(programs)("%s (linux target, generic mode)", async (name) => {
    const want = underErl(name);
    const image = join(OUT, `${name}.generic.elf`);
    await build({ inputs: [join(OUT, `${name}.beam`)], output: image, target: "linux", generic: true });
    const got = spawnSync(image, [], { timeout: 120_000 });
    expect(got.stdout.toString("latin1")).toBe(want.stdout.toString("latin1"));
    expect(got.status).toBe(want.status);
  });

  it.each(programs)("%s (pvh target, under QEMU)", async (name) => {
    const want = underErl(name);
    const image = join(OUT, `${name}.pvh.elf`);
    await build({ inputs: [join(OUT, `${name}.beam`)], output: image, target: "pvh" });
    const got = await runImage(image, { target: "pvh" });
    expect(got.stdout.toString("latin1")).toBe(want.stdout.toString("latin1"));
    expect(got.status).toBe(want.status);
  });
});
