// Bit syntax, against erl: random construct/match pairs.
//
// fast-check makes random integer segments (1 to 70 bits, big- or
// little-endian or native, signed or not, values that may not fit their
// size and so are truncated) and builds a binary from them; then it
// matches that binary with another random cut into integer segments (any
// of the same kinds, at any bit offset) and a trailing bitstring.  Values
// and sizes reach the code as arguments, so that erlc cannot fold them.
// Each pair becomes two functions of one module whose main/0 prints what
// they give; erl and xbeam must print the same.  (This is where the
// emitter's inline fast path for small integer fields, bsGetSmallInline,
// meets every offset and flag.)

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { build } from "../loader/build.js";
import { CACHE } from "./helpers/erl.js";

const SEED = Number(process.env.BITSYNTAX_SEED ?? 31);
const DIR = join(CACHE, "bitsyntax-props");

type Seg = { size: number; flags: string[] };

const flags = fc.tuple(fc.constantFrom("big", "little", "native"), fc.boolean()).map(([e, s]) => [e, s ? "signed" : "unsigned"]);
/** Sizes weighted to the small fields the fast path takes, and some wider. */
const size = fc.oneof(fc.integer({ min: 1, max: 25 }), fc.constantFrom(8, 16, 24, 32), fc.integer({ min: 26, max: 70 }));
const seg: fc.Arbitrary<Seg> = fc.record({ size, flags });
/** A value for a segment: in range, or anything (BEAM keeps the low bits). */
const value = (s: number) => fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << BigInt(s)) - 1n }),
  fc.bigInt({ min: -(1n << BigInt(s - 1)), max: (1n << BigInt(s - 1)) - 1n }),
  fc.bigInt({ min: -(1n << 80n), max: 1n << 80n }),
);
const construct = fc.array(seg, { minLength: 1, maxLength: 8 }).chain((segs) =>
  fc.tuple(fc.constant(segs), fc.tuple(...segs.map((s) => value(s.size)))));
/** A way to cut `total` bits: integer fields while they fit, the rest a bitstring. */
const cut = (total: number) => fc.array(seg, { maxLength: 10 }).map((segs) => {
  const out: Seg[] = [];
  let used = 0;
  for (const s of segs) if (used + s.size <= total) { out.push(s); used += s.size; }
  return out;
});

const spec = (s: Seg) => `${s.size}/integer-${s.flags.join("-")}`;

function moduleSource(cases: { build: Seg[]; values: bigint[]; match: Seg[] }[]): string {
  const fns: string[] = [];
  const calls: string[] = [];
  cases.forEach((c, k) => {
    const vars = c.build.map((_, i) => `V${i}`);
    fns.push(`b${k}(${vars.join(", ")}) -> <<${c.build.map((s, i) => `${vars[i]}:${spec(s)}`).join(", ")}>>.`);
    const xs = c.match.map((_, i) => `X${i}`);
    fns.push(`m${k}(B) -> case B of <<${[...c.match.map((s, i) => `${xs[i]}:${spec(s)}`), "Rest/bitstring"].join(", ")}>> -> [${[...xs, "Rest"].join(", ")}]; _ -> nomatch end.`);
    calls.push(`    io:format("~w~n", [begin B${k} = b${k}(${c.values.map(String).join(", ")}), {B${k}, m${k}(B${k})} end]),`);
  });
  return ["-module(bs_props).", "-export([main/0]).", "main() ->", ...calls, "    ok.", "", ...fns, ""].join("\n");
}

describe("bit syntax matches erl", () => {
  it(`builds and matches random integer segments as erl does (seed ${SEED})`, async () => {
    mkdirSync(DIR, { recursive: true });
    const pairs = fc.sample(construct.chain(([segs, values]) => {
      const total = segs.reduce((n, s) => n + s.size, 0);
      return fc.tuple(fc.constant(segs), fc.constant(values), cut(total));
    }), { numRuns: 400, seed: SEED });
    const cases = pairs.map(([b, values, match]) => ({ build: b, values, match }));
    writeFileSync(join(DIR, "bs_props.erl"), moduleSource(cases));
    execFileSync("erlc", ["+nowarn_everything", "-o", DIR, join(DIR, "bs_props.erl")], { stdio: ["ignore", "ignore", "inherit"] });
    const want = spawnSync("erl", ["-noshell", "-pa", DIR, "-eval", "bs_props:main(), halt()."]);
    expect(want.status).toBe(0);
    const image = join(DIR, "bs_props.elf");
    await build({ inputs: [join(DIR, "bs_props.beam")], output: image, target: "linux" });
    const got = spawnSync(image);
    const w = want.stdout.toString("latin1").split("\n"), g = got.stdout.toString("latin1").split("\n");
    const firstDiff = w.findIndex((l, i) => l !== g[i]);
    expect(firstDiff === -1 ? "" : `line ${firstDiff + 1}\nerl:   ${w[firstDiff]}\nxbeam: ${g[firstDiff]}`).toBe("");
    expect(got.status).toBe(0);
    expect(w.length).toBeGreaterThan(400);
  });
});
