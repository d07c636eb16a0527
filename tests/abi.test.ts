// The NASM include is generated from emitter/abi.ts and must not be stale.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { abiInclude, atomTerm, MAX_SMALL, MIN_SMALL, PROCESS, smallTerm, TAG } from "../emitter/abi.js";
import { ROOT } from "./helpers/erl.js";

describe("the ABI", () => {
  it("runtime-asm/abi.inc is what emitter/abi.ts generates (run `npm run gen-abi`)", () => {
    expect(readFileSync(join(ROOT, "runtime-asm/abi.inc"), "utf8")).toBe(abiInclude());
  });

  it("tags terms as 32-bit BEAM does", () => {
    expect(smallTerm(0)).toBe(0xf);
    expect(smallTerm(-1)).toBe(0xffffffff);
    expect(smallTerm(MAX_SMALL) & TAG.IMMED1_MASK).toBe(TAG.SMALL);
    expect(smallTerm(MIN_SMALL) >>> 0).toBe(0x8000000f);
    expect(atomTerm(1)).toBe(0x4b);
    expect(TAG.NIL).toBe(0x3b);
  });

  it("lays the process struct out in distinct, aligned words", () => {
    const offsets = Object.values(PROCESS);
    expect(new Set(offsets).size).toBe(offsets.length);
    for (const o of offsets) expect(o % 4).toBe(0);
  });
});
