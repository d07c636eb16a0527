// Bignum arithmetic against erl, on random integer expressions (fast-check).
//
// In:  a fixed seed (XBEAM_BIGNUM_SEED overrides it; XBEAM_BIGNUM_BATCHES
//      the number of modules).  Out: pass when erl and xbeam (linux target)
//      print the same for every expression.
//
// Each run generates a batch of expressions — operands across the 28-bit,
// 32-bit and 64-bit boundaries, digit patterns that stress carries and
// division, and some numbers of hundreds to thousands of bits; operators
// + - * div rem band bor bxor bsl bsr, unary - bnot abs, and comparisons —
// and writes them as one Erlang module whose main/0 displays each result
// (or the error it raises).  Leaves go through id/1 so that erlc cannot fold
// them.  The module runs under erl and, built into an image, under xbeam;
// the outputs are compared line by line, and a difference names the
// expression.  A second test checks the size limit, which erl (a 64-bit VM,
// whose limit is twice as large) cannot be the oracle for.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { build } from "../loader/build.js";
import { CACHE } from "./helpers/erl.js";

const SEED = Number(process.env.XBEAM_BIGNUM_SEED ?? 0x5eed_b16);
const BATCHES = Number(process.env.XBEAM_BIGNUM_BATCHES ?? 5);
const PER_BATCH = 400;
const OUT = join(CACHE, "bignum-props");

// ---------------------------------------------------------------------------
// Expressions.

type Expr =
  | { kind: "int"; value: bigint }
  | { kind: "bin"; op: string; a: Expr; b: Expr }
  | { kind: "un"; op: string; a: Expr };

const pow2 = (k: number) => 1n << BigInt(k);

/** A number from 32-bit digits chosen to make carries and borrows ripple. */
const digitPattern = fc
  .tuple(
    fc.array(fc.constantFrom(0n, 1n, 0x7fffffffn, 0x80000000n, 0xfffffffen, 0xffffffffn), { minLength: 1, maxLength: 6 }),
    fc.boolean(),
  )
  .map(([ds, neg]) => {
    const v = ds.reduce((acc, d) => (acc << 32n) | d, 0n);
    return neg ? -v : v;
  });

const leafValue: fc.Arbitrary<bigint> = fc.oneof(
  { arbitrary: fc.integer({ min: -20, max: 20 }).map(BigInt), weight: 2 },
  {
    // the boundaries of smalls, of one and of two digits
    arbitrary: fc
      .tuple(fc.constantFrom(27, 28, 31, 32, 33, 63, 64, 65, 96), fc.boolean(), fc.integer({ min: -3, max: 3 }))
      .map(([k, neg, d]) => (neg ? -pow2(k) : pow2(k)) + BigInt(d)),
    weight: 4,
  },
  { arbitrary: fc.bigInt({ min: -(1n << 100n), max: 1n << 100n }), weight: 3 },
  { arbitrary: digitPattern, weight: 3 },
  {
    arbitrary: fc.tuple(fc.integer({ min: 0, max: 300 }), fc.constantFrom(-1n, 0n, 1n), fc.boolean())
      .map(([k, d, neg]) => (neg ? -1n : 1n) * (pow2(k) + d)),
    weight: 2,
  },
  { arbitrary: fc.bigInt({ min: -(1n << 2000n), max: 1n << 2000n }), weight: 1 },
);

/** Shift counts: mostly small either way, sometimes far (system_limit, or everything out). */
const shiftCount: fc.Arbitrary<bigint> = fc.oneof(
  { arbitrary: fc.integer({ min: -70, max: 70 }).map(BigInt), weight: 6 },
  { arbitrary: fc.integer({ min: -400, max: 400 }).map(BigInt), weight: 3 },
  { arbitrary: fc.constantFrom(134217727n, -134217728n, pow2(40), -pow2(40), 40000000n, -40000000n), weight: 1 },
);

const BINARY = ["+", "-", "*", "div", "rem", "band", "bor", "bxor"];
const UNARY = ["-", "bnot", "abs"];

function exprOf(depth: number): fc.Arbitrary<Expr> {
  const leaf = leafValue.map((value): Expr => ({ kind: "int", value }));
  if (depth === 0) return leaf;
  const sub = exprOf(depth - 1);
  return fc.oneof(
    { arbitrary: leaf, weight: 2 },
    { arbitrary: fc.tuple(fc.constantFrom(...BINARY), sub, sub).map(([op, a, b]): Expr => ({ kind: "bin", op, a, b })), weight: 6 },
    {
      arbitrary: fc.tuple(fc.constantFrom("bsl", "bsr"), sub, shiftCount)
        .map(([op, a, n]): Expr => ({ kind: "bin", op, a, b: { kind: "int", value: n } })),
      weight: 2,
    },
    { arbitrary: fc.tuple(fc.constantFrom(...UNARY), sub).map(([op, a]): Expr => ({ kind: "un", op, a })), weight: 1 },
  );
}

/** One test case: an expression to display, or two to compare. */
type Case = { kind: "value"; e: Expr } | { kind: "compare"; a: Expr; b: Expr };

const caseArb: fc.Arbitrary<Case> = fc.oneof(
  { arbitrary: exprOf(3).map((e): Case => ({ kind: "value", e })), weight: 4 },
  { arbitrary: fc.tuple(exprOf(2), exprOf(2)).map(([a, b]): Case => ({ kind: "compare", a, b })), weight: 1 },
);

function erl(e: Expr): string {
  switch (e.kind) {
    case "int": return `id(${e.value})`;
    case "bin": return `(${erl(e.a)} ${e.op} ${erl(e.b)})`;
    case "un": return e.op === "abs" ? `abs(${erl(e.a)})` : `(${e.op} ${erl(e.a)})`;
  }
}

function caseBody(c: Case): string {
  if (c.kind === "value") return erl(c.e);
  return `begin A = ${erl(c.a)}, B = ${erl(c.b)}, {A < B, A =< B, A == B, A /= B, A =:= B, A > B, A >= B, sort3(A, B)} end`;
}

function moduleText(name: string, cases: readonly Case[]): string {
  const out = [
    `-module(${name}).`,
    "-export([main/0, id/1]).",
    "id(X) -> X.",
    // Term order through a guard comparison too.
    "sort3(A, B) when A < B -> [A, B, 0];",
    "sort3(A, B) -> [B, A, 0].",
    "main() ->",
    ...cases.map((_, i) => `    erlang:display(e${i}()),`),
    "    ok.",
  ];
  cases.forEach((c, i) => out.push(`e${i}() -> try ${caseBody(c)} catch error:R -> {error, R} end.`));
  return out.join("\n") + "\n";
}

// ---------------------------------------------------------------------------

function lines(b: Buffer): string[] {
  return b.toString("latin1").split(/\r?\n/);
}

async function runBatch(n: number, cases: readonly Case[]): Promise<void> {
  const name = `bigprop_${n}`;
  const src = join(OUT, `${name}.erl`);
  writeFileSync(src, moduleText(name, cases));
  // Without the SSA passes erlc takes a quarter of the time on these
  // modules; both sides run the same .beam, so this costs no coverage of
  // the arithmetic (tests/programs/bignum.erl is compiled as usual).
  execFileSync("erlc", ["+no_ssa_opt", "-o", OUT, src], { stdio: ["ignore", "ignore", "pipe"] });
  const want = spawnSync("erl", ["-noshell", "-pa", OUT, "-eval", `${name}:main(), halt().`], {
    env: { ...process.env, ERL_CRASH_DUMP_SECONDS: "0" },
    maxBuffer: 1 << 28,
  });
  const image = join(OUT, `${name}.elf`);
  await build({ inputs: [join(OUT, `${name}.beam`)], output: image, target: "linux" });
  const got = spawnSync(image, [], { timeout: 60_000, maxBuffer: 1 << 28 });
  const w = lines(want.stdout), g = lines(got.stdout);
  for (let i = 0; i < cases.length; i++) {
    if (w[i] !== g[i]) {
      throw new Error(
        `seed ${SEED}, batch ${n}, case ${i}: ${caseBody(cases[i]!)}\n  erl:   ${w[i]}\n  xbeam: ${g[i] ?? `(nothing; status ${got.status}, ${got.stderr})`}`,
      );
    }
  }
  expect(got.status).toBe(0);
  expect(want.status).toBe(0);
}

describe("bignum arithmetic matches erl", () => {
  mkdirSync(OUT, { recursive: true });

  it(`random expressions (${BATCHES} x ${PER_BATCH}, seed ${SEED})`, async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(caseArb, { minLength: PER_BATCH, maxLength: PER_BATCH }), async (cases) => {
        await runBatch(n++, cases);
      }),
      // Shrinking would rebuild an image per step; the failure message
      // names the expression instead.
      { seed: SEED, numRuns: BATCHES, endOnFailure: true },
    );
  });

  // A 32-bit BEAM allows 2^19 - 1 digits of 32 bits: 16,777,184 bits.  A
  // 64-bit erl allows twice as many, so the boundary is checked against
  // fixed answers.
  it("results above 16,777,184 bits raise system_limit", async () => {
    const name = "biglimit";
    const src = join(OUT, `${name}.erl`);
    const cases = [
      "(id(1) bsl 16777183) bsr 16777180",
      "((id(1) bsl 16777183) - 1 + id(1)) =:= (id(1) bsl 16777183)",
      "(-(id(1) bsl 16777183)) bsr 16777183",
      "id(1) bsl 16777184",
      "id(-1) bsl 16777184",
      "(id(1) bsl 16777183) * 2",
      "(id(1) bsl 16777183) + (id(1) bsl 16777183)",
      "(-(id(1) bsl 16777183)) - (id(1) bsl 16777183)",
      "(((id(1) bsl 16777183) - 1) bor (id(1) bsl 16777183)) bsr 16777180",
      "(id(1) bsl 8388592) * (id(1) bsl 8388591) =:= (id(1) bsl 16777183)",
      "(id(1) bsl 8388592) * (id(1) bsl 8388592)",
      "(id(1) bsl 16777183) div (id(1) bsl 16777100)",
    ];
    writeFileSync(
      src,
      [
        `-module(${name}).`,
        "-export([main/0, id/1]).",
        "id(X) -> X.",
        "main() ->",
        ...cases.map((_, i) => `    erlang:display(e${i}()),`),
        "    ok.",
        ...cases.map((c, i) => `e${i}() -> try ${c} catch error:R -> {error, R} end.`),
        "",
      ].join("\n"),
    );
    execFileSync("erlc", ["-o", OUT, src], { stdio: ["ignore", "ignore", "pipe"] });
    const image = join(OUT, `${name}.elf`);
    await build({ inputs: [join(OUT, `${name}.beam`)], output: image, target: "linux" });
    const got = spawnSync(image, [], { timeout: 60_000 });
    expect(lines(got.stdout).slice(0, cases.length)).toEqual([
      "8",
      "true",
      "-1",
      "{error,system_limit}",
      "{error,system_limit}",
      "{error,system_limit}",
      "{error,system_limit}",
      "{error,system_limit}",
      "15",
      "true",
      "{error,system_limit}",
      "9671406556917033397649408",
    ]);
    expect(got.status).toBe(0);
  });
});
