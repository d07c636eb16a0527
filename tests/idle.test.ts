// tests/idle.test.ts — waiting does not spin.
//
// tests/idle/idle_wait.erl waits in `receive after 1000`.  Each target must
// wait about a second and use far less than a second of CPU meanwhile:
// linux blocks in clock_nanosleep; pvh (under TCG) halts until the PIT's
// one-shot interrupt.  The CPU time is the VMM's (or the image's), as the
// shell's `times` reports it for its children.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build } from "../loader/build.js";
import { CACHE_DIR, ROOT } from "../loader/paths.js";
import { vmmCommand } from "../loader/vmm.js";

const OUT = join(CACHE_DIR, "idle");

/** Seconds of user + system CPU that `times` printed for the children. */
function childCpu(times: string): number {
  const lines = times.trim().split("\n");
  const secs = [...lines[lines.length - 1]!.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return secs.reduce((a, b) => a + b, 0);
}

describe("idle", () => {
  mkdirSync(OUT, { recursive: true });
  execFileSync("erlc", ["-o", OUT, join(ROOT, "tests/idle/idle_wait.erl")]);

  it.each(["linux", "pvh"] as const)("receive after 1000 waits a second without spinning (%s)", async (target) => {
    const image = join(OUT, `idle_wait.${target}.elf`);
    await build({ inputs: [join(OUT, "idle_wait.beam")], output: image, target });
    const argv = vmmCommand(image, { target, accel: "tcg", errFile: join(OUT, `err.${target}.txt`) });
    const quoted = argv.map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
    const r = spawnSync("bash", ["-c", `${quoted} > ${join(OUT, `out.${target}.txt`)}; times`], { timeout: 60_000 });
    const out = execFileSync("cat", [join(OUT, `out.${target}.txt`)]).toString();
    expect(out).toBe("waited about a second: true\n");
    const cpu = childCpu(r.stdout.toString());
    expect(cpu).toBeLessThan(0.6);
  }, 120_000);
});
