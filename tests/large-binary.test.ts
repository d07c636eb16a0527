// tests/large-binary.test.ts — a binary of 2^27 bytes and more (its size a
// bignum: byte_size/1, bit_size/1, size/1, binary_part/2,3 with such
// positions), against erl, on the linux target with 1 GiB (a test of its
// own: the programs' images have too little memory for it).

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { build } from "../loader/build.js";
import { CACHE_DIR, ROOT } from "../loader/paths.js";

const OUT = join(CACHE_DIR, "large");

describe("large binaries", () => {
  mkdirSync(OUT, { recursive: true });
  execFileSync("erlc", ["-o", OUT, join(ROOT, "tests/large/large_binary.erl")]);

  it("sizes and parts beyond 2^27 bytes are as erl's", async () => {
    const erl = execFileSync("erl", ["-noshell", "-pa", OUT, "-eval", "large_binary:main(), halt()."]).toString();
    const image = join(OUT, "large_binary.linux.elf");
    await build({ inputs: [join(OUT, "large_binary.beam")], output: image, target: "linux" });
    const r = spawnSync(image, { env: { ...process.env, XBEAM_MEMORY_MB: "1024" }, timeout: 120_000 });
    expect(r.stdout.toString()).toBe(erl);
    expect(r.status).toBe(0);
  }, 300_000);
});
