// tests/stress.test.ts — many processes, many messages, collections
// throughout: nothing lost.
//
// tests/stress/stress_messages.erl: 10,000 processes pass 1,000 messages
// at random for 2,000 hops each (2,001,000 deliveries), allocating as they
// go; then each reports what it received.  Run under erl and under xbeam
// (linux target): the same lines, with no message lost and collections
// having run.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build } from "../loader/build.js";
import { CACHE_DIR, ROOT } from "../loader/paths.js";

const OUT = join(CACHE_DIR, "stress");

describe("stress", () => {
  it("10,000 processes exchange 2,001,000 messages while collecting, and none is lost", async () => {
    mkdirSync(OUT, { recursive: true });
    execFileSync("erlc", ["-o", OUT, join(ROOT, "tests/stress/stress_messages.erl")]);
    const want = spawnSync("erl", ["-noshell", "-pa", OUT, "-eval", "stress_messages:main(), halt()."], { timeout: 120_000 });
    expect(want.stdout.toString()).toBe("sent 2001000, received 2001000, lost 0\ncollections: true\n");
    const image = join(OUT, "stress_messages.elf");
    await build({ inputs: [join(OUT, "stress_messages.beam")], output: image, target: "linux" });
    const got = spawnSync(image, [], { timeout: 120_000 });
    expect(got.stderr.toString()).toBe("");
    expect(got.stdout.toString()).toBe(want.stdout.toString());
    expect(got.status).toBe(0);
  }, 300_000);
});
