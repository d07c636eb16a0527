// Compact-term operands: our decoder against OTP's own encoder (beam_asm:encode/2).

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CodeReader, type Operand, type OperandContext } from "../compiler/code.js";
import { BeamError } from "../compiler/errors.js";
import { ErlFloat } from "../compiler/term.js";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CACHE, erlEval } from "./helpers/erl.js";

function reader(bytes: number[], extra: Partial<OperandContext> = {}): CodeReader {
  const b = Uint8Array.from(bytes);
  return new CodeReader({ bytes: b, atoms: ["m", "ok"], literals: [], types: null, code: { start: 0, end: b.length }, ...extra });
}

const one = (bytes: number[], extra: Partial<OperandContext> = {}): Operand => {
  const r = reader(bytes, extra);
  const o = r.operand();
  expect(r.atEnd()).toBe(true);
  return o;
};

describe("compact term operands", () => {
  it("decode every integer width the way beam_asm:encode/2 writes it", () => {
    const ints = fc.sample(
      fc.oneof(
        fc.integer({ min: -20, max: 5000 }),
        fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }),
        fc.bigInt({ min: -(1n << 2100n), max: 1n << 2100n }),
        fc.constantFrom(0, 15, 16, 2047, 2048, -1, -2048, 2 ** 31, -(2 ** 31), 2 ** 53, -(2 ** 53)),
      ),
      { numRuns: 1500, seed: 7 },
    ).map(BigInt);
    // Tag 1 (i) takes any integer; tags 0 (u) and 3 (x) take non-negative ones.
    const cases = [...ints.map((n) => [1, n] as const), ...ints.filter((n) => n >= 0n && n < 1n << 52n).map((n) => [0, n] as const)];
    // Too long for a command line: erl reads the cases from a file.
    mkdirSync(CACHE, { recursive: true });
    const file = join(CACHE, "encode-cases.txt");
    writeFileSync(file, cases.map(([t, n]) => `{${t},${n}}.\n`).join(""));
    const expr = `{ok, Cases} = file:consult("${file}"), [io:format("~s~n", [binary:encode_hex(iolist_to_binary([beam_asm:encode(T, N)]))]) || {T, N} <- Cases]`;
    const encoded = erlEval(expr).toString().trimEnd().split("\n");
    expect(encoded.length).toBe(cases.length);
    cases.forEach(([tag, n], k) => {
      const o = one([...Buffer.from(encoded[k]!, "hex")]);
      if (tag === 1) expect(o).toEqual({ kind: "i", value: n >= -(2n ** 53n) + 1n && n <= 2n ** 53n - 1n ? Number(n) : n });
      else expect(o).toEqual({ kind: "u", value: Number(n) });
    });
  });

  it("decode registers, labels, atoms and nil", () => {
    expect(one([0x03])).toEqual({ kind: "x", n: 0 });
    expect(one([0x34])).toEqual({ kind: "y", n: 3 });
    expect(one([0x2b, 0x05])).toEqual({ kind: "x", n: 261 }); // two-byte form
    expect(one([0x55])).toEqual({ kind: "f", label: 5 });
    expect(one([0x02])).toEqual({ kind: "nil" });
    expect(one([0x22])).toEqual({ kind: "atom", value: "ok" });
  });

  it("decode the extended forms", () => {
    const f = new Uint8Array(8);
    new DataView(f.buffer).setFloat64(0, 2.5);
    expect(one([0x07, ...f])).toEqual({ kind: "float", value: 2.5 });
    expect(one([0x17, 0x20, 0x03, 0x22])).toEqual({ kind: "list", items: [{ kind: "x", n: 0 }, { kind: "atom", value: "ok" }] });
    expect(one([0x27, 0x30])).toEqual({ kind: "fr", n: 3 });
    expect(one([0x37, 0x20, 0x00, 0x30, 0x10, 0x10])).toEqual({
      kind: "alloc", items: [{ kind: "words", n: 3 }, { kind: "floats", n: 1 }],
    });
    const lit = new ErlFloat(1.5);
    expect(one([0x47, 0x10], { literals: ["a", lit] })).toEqual({ kind: "literal", index: 1, value: lit });
    const type = { bits: 64, min: 0n, max: 10n };
    expect(one([0x57, 0x13, 0x00], { types: [type] })).toEqual({ kind: "tr", reg: { kind: "x", n: 1 }, typeIndex: 0, type });
  });

  it("reject malformed operands with the offset of the faulty byte", () => {
    const bad = (bytes: number[], extra: Partial<OperandContext> = {}) => {
      const r = reader([0x00, ...bytes], extra);
      r.operand();
      try {
        r.operand();
      } catch (e) {
        expect(e).toBeInstanceOf(BeamError);
        return (e as BeamError).offset;
      }
      throw new Error("no error");
    };
    expect(bad([0x19])).toBe(2); // a three-byte integer with no bytes: the missing byte
    expect(bad([0x32])).toBe(1); // atom 3 of 2
    expect(bad([0x47, 0x00])).toBe(1); // literal 0 of none
    expect(bad([0x67])).toBe(1); // extended form 6
    expect(bad([0x0f])).toBe(1); // extended byte with the 0x08 bit
    expect(bad([0x17, 0x10, 0x17, 0x00])).toBe(3); // a list inside a list: the inner one
    expect(bad([0x57, 0x12, 0x00], { types: [{ bits: 0, min: 0n, max: 0n }] })).toBe(1); // typed atom
    expect(bad([0xf9, 0xf8])).toBe(1); // a length that needs a length
  });
});
