// term_to_binary's `compressed` option, against erl: zlib's output byte
// for byte.
//
// In:  a fixed seed (XBEAM_ZLIB_SEED overrides it).  Out: pass when erl and
//      xbeam (linux target) print the same.
//
// fast-check picks, for each case, how an Erlang module makes its input
// (a seeded stream of bytes from an alphabet, where a run now and then
// repeats what came some distance before: zlib's matches, near and far,
// short and long), its size (up to 140 KB, with sizes around where zlib's
// window slides, 65274 and 98042 bytes, and the input's end falls within
// a match's reach of it), the term made of it (the binary, its list, or a
// tuple of slices) and the compression level 0..9.  The module prints
// each result's size and md5 (its bytes when short) under erl and under
// xbeam, and the outputs are compared line by line; and the md5s of
// zlib:compress/1, zip/1 and gzip/1 of the bytes (given in pieces of 40 KB),
// which must inflate back.  Random terms of all kinds go through
// `compressed` too, in tests/etf-props.test.ts.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { build } from "../loader/build.js";
import { CACHE } from "./helpers/erl.js";

const SEED = Number(process.env.XBEAM_ZLIB_SEED ?? 0x21b);
const RUNS = 120;
const DIR = join(CACHE, "zlib-props");

const size = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 40 }), weight: 2 },
  { arbitrary: fc.integer({ min: 40, max: 2000 }), weight: 4 },
  { arbitrary: fc.integer({ min: 2000, max: 40000 }), weight: 3 },
  { arbitrary: fc.integer({ min: 64900, max: 65900 }), weight: 2 },
  { arbitrary: fc.integer({ min: 97700, max: 98400 }), weight: 1 },
  { arbitrary: fc.integer({ min: 100000, max: 140000 }), weight: 1 },
);

const caseArb = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
  size,
  alphabet: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 5, max: 40 }), fc.constant(256)),
  repeat: fc.integer({ min: 0, max: 100 }),                     // percent of steps that copy
  maxDist: fc.constantFrom(1, 3, 8, 100, 4096, 5000, 32506, 32768, 40000),
  maxLen: fc.constantFrom(1, 4, 20, 258, 300),
  shape: fc.constantFrom("binary", "list", "tuple"),
  level: fc.oneof({ arbitrary: fc.integer({ min: 1, max: 9 }), weight: 9 }, { arbitrary: fc.constant(0), weight: 1 }),
});

type Case = { seed: number; size: number; alphabet: number; repeat: number; maxDist: number; maxLen: number; shape: string; level: number };

function moduleSource(cases: Case[]): string {
  const list = cases.map((c) => `{${c.seed},${c.size},${c.alphabet},${c.repeat},${c.maxDist},${c.maxLen},${c.shape},${c.level}}`);
  return [
    "-module(zlib_props).",
    "-export([main/0]).",
    "main() ->",
    `    [check(C) || C <- [${list.join(",\n        ")}]],`,
    "    ok.",
    "check({Seed, Size, Alpha, P, MaxD, MaxL, Shape, Level}) ->",
    "    B = gen(Seed, Size, Alpha, P, MaxD, MaxL, <<>>),",
    "    T = case Shape of",
    "            binary -> B;",
    "            list -> binary_to_list(B);",
    "            tuple -> list_to_tuple([binary:part(B, I, min(7, Size - I)) || I <- lists:seq(0, Size - 1, 7)])",
    "        end,",
    "    C = term_to_binary(T, [{compressed, Level}]),",
    "    case byte_size(C) < 120 of",
    "        true -> io:format(\"~w~n\", [C]);",
    "        false -> io:format(\"~w ~w ~w~n\", [byte_size(C), binary:part(C, 0, 8), erlang:md5(C)])",
    "    end,",
    "    T = binary_to_term(C),",
    "    %% The zlib module's one-shot functions, given the bytes in pieces.",
    "    Pieces = [binary:part(B, I, min(40000, Size - I)) || I <- lists:seq(0, Size - 1, 40000)],",
    "    Z = zlib:compress(Pieces), R = zlib:zip(Pieces), G = zlib:gzip(Pieces),",
    "    io:format(\"~w ~w ~w~n\", [erlang:md5(Z), erlang:md5(R), erlang:md5(G)]),",
    "    B = zlib:uncompress(Z), B = zlib:unzip(R), B = zlib:gunzip(G).",
    "%% The bytes: each step either copies a run from up to MaxD back (P% of",
    "%% steps), or adds one byte below Alpha.",
    "gen(_, N, _, _, _, _, Acc) when N =< 0 -> Acc;",
    "gen(S0, N, Alpha, P, MaxD, MaxL, Acc) ->",
    "    S1 = next(S0), S2 = next(S1), S3 = next(S2),",
    "    Size = byte_size(Acc),",
    "    case S1 rem 100 < P andalso Size > 0 of",
    "        true ->",
    "            D = 1 + S2 rem min(Size, MaxD), L = min(N, 1 + S3 rem MaxL),",
    "            Src = binary:part(Acc, Size - D, min(D, L)),",
    "            Copy = binary:part(binary:copy(Src, L div byte_size(Src) + 1), 0, L),",
    "            gen(S3, N - L, Alpha, P, MaxD, MaxL, <<Acc/binary, Copy/binary>>);",
    "        false -> gen(S1, N - 1, Alpha, P, MaxD, MaxL, <<Acc/binary, ((S2 bsr 8) rem Alpha)>>)",
    "    end.",
    "next(S) -> (S * 1103515245 + 12345) band 16#7fffffff.",
    "",
  ].join("\n");
}

describe("term_to_binary's compressed output matches erl", () => {
  it(`compresses ${RUNS} random inputs at random levels as zlib does (seed ${SEED})`, async () => {
    mkdirSync(DIR, { recursive: true });
    const cases = fc.sample(caseArb, { numRuns: RUNS, seed: SEED });
    writeFileSync(join(DIR, "zlib_props.erl"), moduleSource(cases));
    execFileSync("erlc", ["-o", DIR, join(DIR, "zlib_props.erl")], { stdio: ["ignore", "ignore", "inherit"] });
    const want = spawnSync("erl", ["-noshell", "-pa", DIR, "-eval", "zlib_props:main(), halt()."], { maxBuffer: 1 << 26 });
    expect(want.status).toBe(0);
    const image = join(DIR, "zlib_props.elf");
    await build({ inputs: [join(DIR, "zlib_props.beam")], output: image, target: "linux" });
    const got = spawnSync(image, [], { timeout: 120_000, maxBuffer: 1 << 26 });
    const w = want.stdout.toString("latin1").split("\n"), g = got.stdout.toString("latin1").split("\n");
    const firstDiff = w.findIndex((l, i) => l !== g[i]);
    const at = firstDiff === -1 ? "" : `case ${JSON.stringify(cases[firstDiff >> 1])}\nerl:   ${w[firstDiff]}\nxbeam: ${g[firstDiff]}`;
    expect(at).toBe("");
    expect(got.status).toBe(0);
    expect(w.length).toBe(2 * RUNS + 1);
    // Most cases compress (the property would be idle otherwise).
    expect(w.filter((l) => /^\d+ <<131,80,/.test(l) || l.startsWith("<<131,80,")).length).toBeGreaterThan(RUNS / 2);
  }, 300_000);
});
