// Term order, against erl: random terms compared and sorted by both.
//
// fast-check makes random terms of the kinds xbeam supports (small integers,
// atoms, [], lists, improper lists, tuples, nested); they are written into
// a module whose main/0 displays, for each pair, every comparison operator's
// result, and lists:sort/1 of the whole set (OTP's own lists, pulled into
// the image).  erl and xbeam must print the same.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { build } from "../loader/build.js";
import { CACHE } from "./helpers/erl.js";

const SEED = Number(process.env.COMPARE_SEED ?? 97);
const DIR = join(CACHE, "compare-props");

/** Erlang source text for a random term. */
const atom = fc.constantFrom("a", "b", "ab", "ba", "zz", "'A'", "'hello world'", "true", "false", "'é'", "aa", "b1");
const small = fc.oneof(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -(2 ** 27), max: 2 ** 27 - 1 }));
const term: fc.Arbitrary<string> = fc.letrec((tie) => ({
  t: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    small.map(String),
    atom,
    fc.constant("[]"),
    fc.array(tie("t"), { maxLength: 3 }).map((xs) => `[${xs.join(",")}]`),
    fc.tuple(fc.array(tie("t"), { minLength: 1, maxLength: 2 }), tie("t")).map(([xs, t]) => `[${xs.join(",")}|${t}]`),
    fc.array(tie("t"), { maxLength: 3 }).map((xs) => `{${xs.join(",")}}`),
  ),
})).t;

function moduleSource(pairs: [string, string][], all: string[]): string {
  const lines = pairs.map(([a, b]) =>
    `    erlang:display([${["<", "=<", ">", ">=", "==", "/=", "=:=", "=/="].map((op) => `(${a}) ${op} (${b})`).join(", ")}]),`);
  return [
    "-module(cmp_props).",
    "-export([main/0]).",
    "main() ->",
    ...lines,
    `    erlang:display(lists:sort([${all.join(", ")}])),`,
    `    erlang:display(lists:usort([${all.join(", ")}])).`,
    "",
  ].join("\n");
}

describe("term order matches erl", () => {
  it(`compares and sorts random terms as erl does (seed ${SEED})`, async () => {
    mkdirSync(DIR, { recursive: true });
    const terms = fc.sample(term, { numRuns: 400, seed: SEED });
    const pairs = fc.sample(fc.tuple(fc.constantFrom(...terms), fc.constantFrom(...terms)), { numRuns: 300, seed: SEED + 1 });
    // Equal pairs matter most for == and =:=; make sure there are some.
    pairs.push(...terms.slice(0, 30).map((t) => [t, t] as [string, string]));
    writeFileSync(join(DIR, "cmp_props.erl"), moduleSource(pairs, terms));
    execFileSync("erlc", ["+nowarn_everything", "-o", DIR, join(DIR, "cmp_props.erl")], { stdio: ["ignore", "ignore", "inherit"] });
    const want = spawnSync("erl", ["-noshell", "-pa", DIR, "-eval", "cmp_props:main(), halt()."]);
    expect(want.status).toBe(0);
    const image = join(DIR, "cmp_props.elf");
    await build({ inputs: [join(DIR, "cmp_props.beam")], output: image, target: "linux" });
    const got = spawnSync(image);
    const w = want.stdout.toString("latin1").split("\n"), g = got.stdout.toString("latin1").split("\n");
    const firstDiff = w.findIndex((l, i) => l !== g[i]);
    expect(firstDiff === -1 ? "" : `line ${firstDiff + 1}\nerl:   ${w[firstDiff]}\nxbeam: ${g[firstDiff]}`).toBe("");
    expect(got.status).toBe(0);
    expect(w.length).toBeGreaterThan(300);
  });
});
