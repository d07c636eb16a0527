// The Type chunk: our join of primitive types against OTP's beam_types:decode_ext/1.

import { describe, expect, it } from "vitest";
import { typeTerm } from "../compiler/types.js";
import { writeTerm } from "../compiler/write-term.js";
import { erlEval } from "./helpers/erl.js";

describe("type table entries", () => {
  it("print as beam_types:decode_ext/1 builds them, for all 8,192 sets of type bits", () => {
    // The range words vary too, to cover the unsigned 64-bit printing.
    const expr = `[io:format("~w~n", [beam_types:decode_ext(<<B:16, (B * 7):64, (-1 - B):64>>)]) || B <- lists:seq(0, 8191)]`;
    const expected = erlEval(expr).toString("latin1").trimEnd().split("\n");
    expect(expected.length).toBe(8192);
    const mismatches: string[] = [];
    for (let b = 0; b < 8192; b++) {
      const got = writeTerm(typeTerm({ bits: b, min: BigInt(b * 7), max: (1n << 64n) - 1n - BigInt(b) }));
      if (got !== expected[b]) mismatches.push(`bits ${b}: erl ${expected[b]} xbeam ${got}`);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});
