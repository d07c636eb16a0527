// Floats as text, against erl: random doubles and random decimal strings.
//
// In:  a fixed seed (XBEAM_FLOAT_SEED overrides it).  Out: pass when erl
//      and xbeam (linux target) print the same.
//
// fast-check makes doubles from their bit patterns — any pattern, and
// patterns pushed to the edges: subnormals, the largest and smallest
// exponents, integers around 2^53, exact powers of two and ten — and
// decimal strings of 1 to 30 digits with exponents from -350 to 330.  One
// module prints, for each double, float_to_list(F, [short]),
// float_to_list(F) and whether both read back to F; for each string,
// list_to_float's result in the short form, or the error.  The module
// runs under erl and, built into one image, under xbeam; the outputs are
// compared line by line.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { build } from "../loader/build.js";
import { CACHE } from "./helpers/erl.js";

const SEED = Number(process.env.XBEAM_FLOAT_SEED ?? 0xf10a7);
const DIR = join(CACHE, "float-props");

/** The double of a 64-bit pattern, or null for infinities and NaNs. */
function fromBits(bits: bigint): number | null {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setBigUint64(0, bits & 0xffff_ffff_ffff_ffffn);
  const v = dv.getFloat64(0);
  return Number.isFinite(v) ? v : null;
}

const bits = (sign: boolean, exponent: number, fraction: bigint) =>
  ((sign ? 1n : 0n) << 63n) | (BigInt(exponent) << 52n) | (fraction & ((1n << 52n) - 1n));

const fraction = fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << 52n) - 1n }),
  fc.constantFrom(0n, 1n, 2n, (1n << 52n) - 1n, (1n << 51n), (1n << 52n) - 2n),
);

const double: fc.Arbitrary<number> = fc
  .oneof(
    { arbitrary: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), weight: 4 },
    // subnormals and the smallest normals
    { arbitrary: fc.tuple(fc.boolean(), fc.constantFrom(0, 1, 2), fraction).map(([s, e, f]) => bits(s, e, f)), weight: 2 },
    // the largest exponents
    { arbitrary: fc.tuple(fc.boolean(), fc.integer({ min: 2040, max: 2046 }), fraction).map(([s, e, f]) => bits(s, e, f)), weight: 2 },
    // around 1, 2^53 and the fixed/scientific switch of [short]
    { arbitrary: fc.tuple(fc.boolean(), fc.integer({ min: 1000, max: 1090 }), fraction).map(([s, e, f]) => bits(s, e, f)), weight: 3 },
  )
  .map(fromBits)
  .filter((v): v is number => v !== null);

const integral = fc.oneof(
  fc.integer({ min: -(2 ** 53), max: 2 ** 53 }),
  fc.integer({ min: 0, max: 22 }).map((k) => 10 ** k),
  fc.integer({ min: 0, max: 1023 }).map((k) => 2 ** k),
);

/** A decimal string in BEAM's syntax: digits, a point, digits, maybe an exponent. */
const decimal = fc
  .tuple(
    fc.constantFrom("", "-", "+"),
    fc.stringMatching(/^[0-9]{1,15}$/),
    fc.stringMatching(/^[0-9]{1,15}$/),
    fc.oneof(fc.constant(""), fc.tuple(fc.constantFrom("e", "E", "e-", "e+"), fc.integer({ min: 0, max: 350 })).map(([e, n]) => `${e}${n}`)),
  )
  .map(([s, i, f, e]) => `${s}${i}.${f}${e}`);

/** An Erlang literal for a double: shortest digits, always with a point. */
function literal(v: number): string {
  if (Object.is(v, -0)) return "-0.0";
  const [m, e] = v.toExponential().split("e");
  return `${m!.includes(".") ? m : `${m}.0`}e${e}`;
}

function moduleSource(doubles: number[], strings: string[]): string {
  return [
    "-module(float_props).",
    "-export([main/0]).",
    "main() ->",
    `    [double(id(F)) || F <- [${doubles.map(literal).join(",\n        ")}]],`,
    `    [string(id(S)) || S <- [${strings.map((s) => JSON.stringify(s)).join(",\n        ")}]],`,
    "    ok.",
    "id(X) -> X.",
    "double(F) ->",
    "    S = float_to_list(F, [short]), L = float_to_list(F),",
    "    io:format(\"~s ~s ~w~n\", [S, L, {list_to_float(S) =:= F, list_to_float(L) =:= F}]).",
    "string(S) ->",
    "    R = try float_to_list(list_to_float(S), [short]) catch C:E -> io_lib:format(\"~w:~w\", [C, E]) end,",
    "    io:format(\"~s -> ~s~n\", [S, R]).",
    "",
  ].join("\n");
}

describe("float text matches erl", () => {
  it(`prints and reads random doubles as erl does (seed ${SEED})`, async () => {
    mkdirSync(DIR, { recursive: true });
    const doubles = [
      ...fc.sample(double, { numRuns: 1500, seed: SEED }),
      ...fc.sample(integral, { numRuns: 200, seed: SEED + 1 }),
      0, -0, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 0.1, 1e21, 1e22, 1e23, 9007199254740993,
    ];
    const strings = [
      ...fc.sample(decimal, { numRuns: 600, seed: SEED + 2 }),
      "2.4703282292062327e-324", "2.4703282292062328e-324", "1.7976931348623158e308", "1.7976931348623159e308",
    ];
    writeFileSync(join(DIR, "float_props.erl"), moduleSource(doubles, strings));
    execFileSync("erlc", ["+nowarn_everything", "-o", DIR, join(DIR, "float_props.erl")], { stdio: ["ignore", "ignore", "inherit"] });
    const want = spawnSync("erl", ["-noshell", "-pa", DIR, "-eval", "float_props:main(), halt()."]);
    expect(want.status).toBe(0);
    const image = join(DIR, "float_props.elf");
    await build({ inputs: [join(DIR, "float_props.beam")], output: image, target: "linux" });
    const got = spawnSync(image, [], { timeout: 120_000 });
    const w = want.stdout.toString("latin1").split("\n"), g = got.stdout.toString("latin1").split("\n");
    const firstDiff = w.findIndex((l, i) => l !== g[i]);
    expect(firstDiff === -1 ? "" : `line ${firstDiff + 1}\nerl:   ${w[firstDiff]}\nxbeam: ${g[firstDiff]}`).toBe("");
    expect(got.status).toBe(0);
    expect(w.length).toBeGreaterThan(2000);
  }, 300_000);
});
