// The external term format, against erl: random nested terms.
//
// In:  a fixed seed (XBEAM_ETF_SEED overrides it).  Out: pass when erl and
//      xbeam (linux target) print the same.
//
// fast-check makes terms of every kind term_to_binary writes byte for byte
// (integers of every size, floats, atoms with and without characters above
// 255, strings, lists proper and improper, tuples, binaries, bitstrings,
// maps, export funs), nested, as Erlang source text.  One module prints,
// for each term, term_to_binary with the default options, minor_version 0
// and 2, deterministic and compressed, whether binary_to_term gives the
// term back, and external_size; it runs under erl and, built into one
// image, under xbeam, and the outputs are compared line by line.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { build } from "../loader/build.js";
import { CACHE } from "./helpers/erl.js";

const SEED = Number(process.env.XBEAM_ETF_SEED ?? 0xe7f);
const DIR = join(CACHE, "etf-props");

/** An Erlang literal for a double: shortest digits, always with a point. */
function floatLiteral(v: number): string {
  if (Object.is(v, -0)) return "-0.0";
  const [m, e] = v.toExponential().split("e");
  return `${m!.includes(".") ? m : `${m}.0`}e${e}`;
}

/** An atom from code points, made at run time: a literal atom longer than
 *  255 bytes of UTF-8 does not fit the .beam atom table. */
function atomLiteral(cps: number[]): string {
  return `list_to_atom(id([${cps.join(",")}]))`;
}

const integer = fc.oneof(
  fc.integer({ min: -300, max: 300 }),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }),
  fc.constantFrom(255, 256, 2 ** 27 - 1, 2 ** 27, -(2 ** 27), -(2 ** 27) - 1, 2 ** 31 - 1, -(2 ** 31)).map(Number),
  fc.bigInt({ min: -(1n << 300n), max: 1n << 300n }),
  fc.constantFrom(1n << 2040n, -(1n << 2047n) + 1n, 1n << 31n, -(1n << 31n) - 1n),
).map(String);

const float = fc.double({ noNaN: true, noDefaultInfinity: true }).map(floatLiteral);

const codePoint = fc.oneof(
  { arbitrary: fc.integer({ min: 97, max: 122 }), weight: 6 },
  { arbitrary: fc.integer({ min: 32, max: 126 }), weight: 2 },
  { arbitrary: fc.integer({ min: 160, max: 255 }), weight: 1 },
  { arbitrary: fc.integer({ min: 256, max: 0x2fff }), weight: 1 },
  { arbitrary: fc.integer({ min: 0x10000, max: 0x1ffff }), weight: 1 },
);
const atom = fc.oneof(
  { arbitrary: fc.array(codePoint, { maxLength: 12 }), weight: 8 },
  { arbitrary: fc.array(codePoint, { minLength: 100, maxLength: 255 }), weight: 1 },
).map(atomLiteral);

const byte = fc.integer({ min: 0, max: 255 });
const string = fc.oneof(fc.array(byte, { maxLength: 20 }), fc.array(fc.integer({ min: 97, max: 122 }), { maxLength: 20 }))
  .map((bs) => `[${bs.join(",")}]`);
const binary = fc.array(byte, { maxLength: 20 }).map((bs) => `<<${bs.join(",")}>>`);
const bitstring = fc.tuple(fc.array(byte, { maxLength: 8 }), fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 127 }))
  .map(([bs, n, v]) => `<<${[...bs.map(String), `${v % (1 << n)}:${n}`].join(",")}>>`);
const exportFun = fc.constantFrom("fun lists:map/2", "fun erlang:abs/1", "fun etf_props:main/0", "fun 'a b':'c d'/0");

const term: fc.Arbitrary<string> = fc.letrec((tie) => ({
  t: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    integer, float, atom, string, binary, bitstring, exportFun, fc.constant("[]"),
    fc.array(tie("t"), { maxLength: 4 }).map((xs) => `[${xs.join(",")}]`),
    fc.tuple(fc.array(tie("t"), { minLength: 1, maxLength: 3 }), tie("t")).map(([xs, t]) => `[${xs.join(",")}|${t}]`),
    fc.array(tie("t"), { maxLength: 4 }).map((xs) => `{${xs.join(",")}}`),
    fc.array(fc.tuple(tie("t"), tie("t")), { maxLength: 5 })
      .map((ps) => `maps:from_list([${ps.map(([k, v]) => `{${k},${v}}`).join(",")}])`),
  ),
})).t;

function moduleSource(terms: string[]): string {
  return [
    "-module(etf_props).",
    "-export([main/0]).",
    "main() ->",
    `    [check(T) || T <- [${terms.join(",\n        ")}]],`,
    "    ok.",
    "id(X) -> X.",
    "check(T) ->",
    "    B = term_to_binary(T),",
    "    io:format(\"~w~n~w~n~w~n~w~n~w~n~w~n\", [B, term_to_binary(T, [{minor_version, 0}]),",
    "        term_to_binary(T, [{minor_version, 2}]), term_to_binary(T, [deterministic]),",
    "        term_to_binary(T, [compressed]),",
    "        {binary_to_term(B) =:= T, binary_to_term(B, [used]) =:= {T, byte_size(B)}, erlang:external_size(T)}]).",
    "",
  ].join("\n");
}

describe("the external term format matches erl", () => {
  it(`writes and reads random terms as erl does (seed ${SEED})`, async () => {
    mkdirSync(DIR, { recursive: true });
    const terms = fc.sample(term, { numRuns: 400, seed: SEED });
    writeFileSync(join(DIR, "etf_props.erl"), moduleSource(terms));
    execFileSync("erlc", ["+nowarn_everything", "-o", DIR, join(DIR, "etf_props.erl")], { stdio: ["ignore", "ignore", "inherit"] });
    const want = spawnSync("erl", ["-noshell", "-pa", DIR, "-eval", "etf_props:main(), halt()."], { maxBuffer: 1 << 28 });
    expect(want.status).toBe(0);
    const image = join(DIR, "etf_props.elf");
    await build({ inputs: [join(DIR, "etf_props.beam")], output: image, target: "linux" });
    const got = spawnSync(image, [], { timeout: 120_000, maxBuffer: 1 << 28 });
    const w = want.stdout.toString("latin1").split("\n"), g = got.stdout.toString("latin1").split("\n");
    const firstDiff = w.findIndex((l, i) => l !== g[i]);
    expect(firstDiff === -1 ? "" : `line ${firstDiff + 1}\nerl:   ${w[firstDiff]}\nxbeam: ${g[firstDiff]}`).toBe("");
    expect(got.status).toBe(0);
    expect(w.length).toBeGreaterThan(6 * 400);
  }, 300_000);
});
