// tests/oom.test.ts — a process that runs out of memory dies; the VM does not.
//
// tests/oom/oom_grower.erl builds an ever larger term in a spawned
// process.  Its collector cannot get a bigger heap from the platform's
// memory: the process is killed (reported on stderr) and the main process
// sees 'DOWN' with reason killed and finishes.  Both targets.

import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build } from "../loader/build.js";
import { CACHE_DIR, ROOT } from "../loader/paths.js";
import { runImage } from "../loader/vmm.js";

const OUT = join(CACHE_DIR, "oom");

describe("out of memory", () => {
  mkdirSync(OUT, { recursive: true });
  execFileSync("erlc", ["-o", OUT, join(ROOT, "tests/oom/oom_grower.erl")]);

  it.each(["linux", "pvh"] as const)("a process that allocates without bound dies, and the VM goes on (%s)", async (target) => {
    const image = join(OUT, `oom_grower.${target}.elf`);
    await build({ inputs: [join(OUT, "oom_grower.beam")], output: image, target });
    // 256 MiB on both targets (linux's default is 1 GiB): the limit comes sooner.
    const r = await runImage(image, { target, timeoutMs: 120_000, memMiB: 256 });
    expect(r.stdout.toString()).toBe("grower died: killed\nmain goes on: 5050\n");
    expect(r.stderr.toString()).toMatch(/^xbeam: killed <0\.\d+\.0>: its heap would outgrow its limit at \d+ words$/m);
    expect(r.status).toBe(0);
  }, 300_000);
});
