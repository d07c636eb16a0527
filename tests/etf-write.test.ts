// The external-term-format decoder and the ~w writer, against erl.
//
// erl makes random terms (tests/oracle/term_oracle.erl) and prints each as
// term_to_binary hex (with random encoder options: compressed, old float
// and atom encodings) beside io:format("~w") of it; decoding the hex and
// writing the result must give the same text.

import { describe, expect, it } from "vitest";
import { binaryToTerm } from "../compiler/etf.js";
import { formatFloat, writeTerm } from "../compiler/write-term.js";
import { compileOracle, erlEval } from "./helpers/erl.js";

const SEED = Number(process.env.TERM_SEED ?? 42);
const COUNT = 4000;

describe("external term format and ~w", () => {
  it(`decodes and writes ${COUNT} random terms exactly as erl does (seed ${SEED})`, () => {
    const ebin = compileOracle("term_oracle");
    const lines = erlEval(`term_oracle:main(${SEED}, ${COUNT})`, [ebin]).toString("latin1").trimEnd().split("\n");
    expect(lines.length).toBe(COUNT);
    const mismatches: string[] = [];
    for (const line of lines) {
      const sp = line.indexOf(" ");
      const bytes = Buffer.from(line.slice(0, sp), "hex");
      const want = line.slice(sp + 1);
      const got = writeTerm(binaryToTerm(bytes));
      if (got !== want) mismatches.push(`erl:   ${want}\nxbeam: ${got}`);
    }
    expect(mismatches.slice(0, 3).join("\n")).toBe("");
  });

  it("formats floats as float_to_list(F, [short]) does", () => {
    // Doubles spread over all exponents: random bit patterns, finite only.
    const buf = new DataView(new ArrayBuffer(8));
    const xs: number[] = [];
    let state = 12345;
    while (xs.length < 3000) {
      for (let i = 0; i < 8; i++) {
        state = (state * 1103515245 + 12345) >>> 0;
        buf.setUint8(i, state >>> 24);
      }
      const x = buf.getFloat64(0);
      if (Number.isFinite(x)) xs.push(x);
    }
    // Plus the powers of ten, where the plain and exponent forms compete.
    for (let e = -30; e <= 30; e++) xs.push(Number(`1e${e}`), Number(`1.5e${e}`), Number(`1.25e${e}`));
    const hex = xs.map((x) => { buf.setFloat64(0, x); return buf.getBigUint64(0).toString(); }).join(",");
    const want = erlEval(`[io:format("~s~n", [float_to_list(F, [short])]) || <<F:64/float>> <- [<<X:64>> || X <- [${hex}]]]`)
      .toString().trimEnd().split("\n");
    const diffs = xs.map((x, i) => [formatFloat(x), want[i]]).filter(([g, w]) => g !== w);
    expect(diffs.slice(0, 5)).toEqual([]);
  });
});
