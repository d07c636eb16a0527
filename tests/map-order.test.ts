// Large maps are printed in the order OTP 25 itself walks them.
//
// Maps of 33..300 keys of every kind that make_internal_hash handles from
// the term alone (integers small and big, floats, atoms in latin-1 and
// UTF-8, tuples, lists and strings, binaries and bitstrings, maps small and
// large, local funs), random ones from a fixed seed and some fixed ones
// (integers whose 32-bit hashes collide among them), go to one erl run as
// external term format.  For each map erl reports the order
// in which maps:next/1 yields the keys and what ~w prints; the test decodes
// the same bytes with binaryToTerm and compares:
//   - the order of mapIterationOrder, given the atom table indices that erl
//     reports for the test's own freshly made atoms;
//   - for maps without atoms, writeTerm's text, byte for byte;
//   - for maps whose keys contain atoms, that writeTerm falls back to
//     sorted keys, the canonical form of the disassembler's oracle.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { binaryToTerm } from "../compiler/etf.js";
import { internalHash, mapIterationOrder } from "../compiler/map-order.js";
import {
  Closure, ErlBitstring, ErlFloat, ErlList, ErlMap, NIL, Pid, sortedEntries, type Term,
} from "../compiler/term.js";
import { writeTerm } from "../compiler/write-term.js";

// ---------------------------------------------------------------------------
// External term format, just the tags the generated terms need.

function encode(t: Term): Uint8Array {
  const out: number[] = [131];
  const u32 = (n: number) => out.push((n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255);
  const bytes = (b: Uint8Array | number[]) => {
    for (const x of b) out.push(x);
  };
  const go = (t: Term): void => {
    if (typeof t === "number" || typeof t === "bigint") {
      const n = BigInt(t);
      if (n >= 0n && n < 256n) return void out.push(97, Number(n));
      if (n >= -(2n ** 31n) && n < 2n ** 31n) return void (out.push(98), u32(Number(n)));
      let m = n < 0n ? -n : n;
      const digits: number[] = [];
      for (; m > 0n; m >>= 8n) digits.push(Number(m & 255n));
      if (digits.length < 256) out.push(110, digits.length);
      else (out.push(111), u32(digits.length));
      out.push(n < 0n ? 1 : 0);
      return bytes(digits);
    }
    if (typeof t === "string") {
      const b = Buffer.from(t, "utf8");
      if (b.length < 256) out.push(119, b.length);
      else out.push(118, b.length >> 8, b.length & 255);
      return bytes(b);
    }
    if (Array.isArray(t)) {
      if (t.length < 256) out.push(104, t.length);
      else (out.push(105), u32(t.length));
      return t.forEach(go);
    }
    if (t instanceof ErlFloat) {
      const b = Buffer.alloc(8);
      b.writeDoubleBE(t.value);
      out.push(70);
      return bytes(b);
    }
    if (t instanceof ErlList) {
      if (t.items.length === 0) return t.tail === null ? void out.push(106) : go(t.tail);
      out.push(108);
      u32(t.items.length);
      t.items.forEach(go);
      return t.tail === null ? void out.push(106) : go(t.tail);
    }
    if (t instanceof ErlBitstring) {
      const n = Math.ceil(t.bitSize / 8);
      if (t.bitSize % 8 === 0) (out.push(109), u32(n));
      else (out.push(77), u32(n), out.push(t.bitSize % 8));
      return bytes(t.bytes.subarray(0, n));
    }
    if (t instanceof ErlMap) {
      out.push(116);
      u32(t.entries.length);
      return t.entries.forEach(([k, v]) => (go(k), go(v)));
    }
    if (t instanceof Closure) {
      // NEW_FUN_EXT: its size (counting itself) is patched in at the end.
      out.push(112);
      const at = out.length;
      u32(0);
      out.push(t.arity);
      bytes(t.uniq);
      u32(t.index);
      u32(t.free.length);
      [t.module, t.oldIndex, t.oldUniq, t.pid, ...t.free].forEach(go);
      const size = out.length - at;
      out.splice(at, 4, (size >>> 24) & 255, (size >>> 16) & 255, (size >>> 8) & 255, size & 255);
      return;
    }
    if (t instanceof Pid) {
      out.push(88);
      go(t.node);
      return (u32(t.id), u32(t.serial), u32(t.creation));
    }
    throw new Error("encode: unsupported term");
  };
  go(t);
  return Uint8Array.from(out);
}

// ---------------------------------------------------------------------------
// Random terms from a seeded generator, so that a failure can be replayed.

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = "small" | "big" | "float" | "atom" | "tuple" | "list" | "binary" | "map" | "any";

class Gen {
  readonly rnd: () => number;
  /** Every atom made, in order: erl creates them first to learn their indices. */
  readonly atoms: string[] = [];
  private readonly atomSet = new Set<string>();

  constructor(seed: number, private readonly prefix: string) {
    this.rnd = mulberry32(seed);
  }

  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  bigRange(bits: number): bigint {
    let v = 0n;
    for (let i = 0; i < bits; i += 30) v = (v << 30n) | BigInt(this.int(2 ** 30));
    return v & ((1n << BigInt(bits)) - 1n);
  }

  small(): number | bigint {
    switch (this.int(6)) {
      case 0: return this.int(256);
      case 1: return this.int(2000) - 1000;
      case 2: return this.int(2 ** 31) * (this.rnd() < 0.5 ? -1 : 1);
      case 3: return Math.floor((this.rnd() - 0.5) * 2 ** 53);
      case 4: {
        // Near the edges of the 60-bit small integers of a 64-bit VM.
        const edge = this.pick([2n ** 59n - 1n, -(2n ** 59n), 2n ** 58n, -(2n ** 58n)]);
        return intOf(edge - BigInt(this.int(1000)) * (edge > 0n ? 1n : -1n));
      }
      default: return intOf(this.bigRange(59) * (this.rnd() < 0.5 ? -1n : 1n));
    }
  }

  big(): bigint | number {
    const bits = this.pick([60, 61, 63, 64, 65, 96, 128, 129, 200, 520]);
    const v = (1n << BigInt(bits - 1)) | this.bigRange(bits - 1);
    return intOf(this.rnd() < 0.5 ? -v : v);
  }

  float(): ErlFloat {
    switch (this.int(4)) {
      case 0: return new ErlFloat(this.int(2000) - 1000);
      case 1: return new ErlFloat((this.rnd() - 0.5) * 1e6);
      case 2: return new ErlFloat(this.int(100) / 8);
      default: {
        const b = Buffer.alloc(8);
        for (;;) {
          for (let i = 0; i < 8; i++) b[i] = this.int(256);
          const v = b.readDoubleLE();
          if (Number.isFinite(v) && v !== 0) return new ErlFloat(v);
        }
      }
    }
  }

  atom(): string {
    // Fresh names (the prefix is new each run), so erl can tell their index.
    const alphabets = ["abcdefghijklmnopqrstuvwxyz_@0123456789", "ABCZ xyz'\\\n", "ßàéÿ×÷ÀÞ", "λжあ中😀"];
    for (;;) {
      let s = this.prefix;
      const n = 1 + this.int(12);
      for (let i = 0; i < n; i++) {
        const a = [...this.pick(alphabets)];
        s += this.pick(a);
      }
      if (!this.atomSet.has(s)) {
        this.atomSet.add(s);
        this.atoms.push(s);
        return s;
      }
    }
  }

  list(atoms: boolean, depth: number): ErlList {
    const n = this.int(14);
    const items: Term[] = [];
    const mode = this.int(3);
    for (let i = 0; i < n; i++) {
      // Strings are hashed four bytes at a time; mix runs of bytes with others.
      items.push(mode === 0 || (mode === 1 && this.rnd() < 0.7) ? this.int(256) : this.term("any", atoms, depth + 1));
    }
    if (n === 0) return NIL;
    const tail = this.rnd() < 0.2 ? this.term(this.pick(["small", "binary", "tuple"] as const), atoms, depth + 1) : null;
    return new ErlList(items, tail instanceof ErlList ? null : tail);
  }

  binary(): ErlBitstring {
    const n = this.pick([0, 1, 3, 4, 7, 8, 11, 12, 13, 23, 24, 25, 40, this.int(100)]);
    const bytes = new Uint8Array(n);
    for (let i = 0; i < n; i++) bytes[i] = this.int(256);
    if (n > 0 && this.rnd() < 0.3) {
      const rest = 1 + this.int(7);
      bytes[n - 1] = bytes[n - 1]! & ((0xff << (8 - rest)) & 0xff);
      return new ErlBitstring(bytes, (n - 1) * 8 + rest);
    }
    return new ErlBitstring(bytes);
  }

  map(size: number, keyKind: Kind, atoms: boolean, depth: number): ErlMap {
    const seen = new Set<string>();
    const entries: Array<[Term, Term]> = [];
    for (let tries = 0; entries.length < size && tries < size * 20; tries++) {
      const k = this.term(keyKind, atoms, depth + 1);
      const id = identity(k);
      if (seen.has(id)) continue;
      seen.add(id);
      entries.push([k, this.term("any", atoms, depth + 1)]);
    }
    return new ErlMap(entries);
  }

  term(kind: Kind, atoms: boolean, depth: number): Term {
    if (kind === "any") {
      const deep = depth < 3;
      const kinds: Kind[] = ["small", "small", "big", "float", "binary", "list"];
      if (atoms) kinds.push("atom", "atom");
      if (deep) kinds.push("tuple", "tuple", "map");
      kind = this.pick(kinds);
    }
    switch (kind) {
      case "small": return this.small();
      case "big": return this.big();
      case "float": return this.float();
      case "atom": return atoms ? this.atom() : this.small();
      case "binary": return this.binary();
      case "list": return this.list(atoms, depth);
      case "tuple": {
        const n = this.int(5);
        return Array.from({ length: n }, () => this.term("any", atoms, depth + 1));
      }
      default: {
        // Mostly small maps; now and then one large enough to be a trie.
        const big = depth < 2 && this.rnd() < 0.15;
        return this.map(big ? 33 + this.int(20) : this.int(6), "any", atoms, depth + 1);
      }
    }
  }
}

function intOf(n: bigint): number | bigint {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}

/** Equal map keys get equal identities (generated terms hold no -0.0). */
function identity(t: Term): string {
  return writeTerm(t);
}

function hasAtom(t: Term): boolean {
  if (typeof t === "string") return true;
  if (Array.isArray(t)) return t.some(hasAtom);
  if (t instanceof ErlList) return t.items.some(hasAtom) || (t.tail !== null && hasAtom(t.tail));
  if (t instanceof ErlMap) return t.entries.some(([k, v]) => hasAtom(k) || hasAtom(v));
  // A local fun names its module, an atom.
  return t instanceof Closure;
}

// ---------------------------------------------------------------------------
// The oracle: one erl run for every map.

interface Oracle {
  /** Index in erl's atom table of each generated atom. */
  atomIndex: Map<string, number>;
  /** Per map: key positions (in the map's entries) in maps:next order, and ~w. */
  results: Array<{ order: number[]; text: string }>;
}

const ERL_SCRIPT = `
{ok, In} = file:read_file(os:getenv("MAP_ORDER_IN")),
{Names, Cases} = binary_to_term(In),
C0 = erlang:system_info(atom_count),
_ = [binary_to_atom(N, utf8) || N <- Names],
C1 = erlang:system_info(atom_count),
Walk = fun W(none) -> []; W({K, _, I}) -> [K | W(maps:next(I))] end,
Out = [begin
         {M, Keys} = binary_to_term(B),
         Pos = maps:from_list(lists:zip(Keys, lists:seq(0, length(Keys) - 1))),
         Order = [maps:get(K, Pos) || K <- Walk(maps:next(maps:iterator(M)))],
         [io_lib:format("~w~n", [Order]), io_lib:format("~w~n", [M])]
       end || B <- Cases],
ok = file:write_file(os:getenv("MAP_ORDER_OUT"), [io_lib:format("[~w,~w]~n", [C0, C1]) | Out]),
halt().`;

function runOracle(atoms: readonly string[], maps: readonly Uint8Array[]): Oracle {
  const dir = mkdtempSync(join(tmpdir(), "map-order-"));
  try {
    const input = join(dir, "in.etf"), output = join(dir, "out.txt");
    // {Names, Cases}: the atom names as UTF-8 binaries, each case a binary.
    const names = new ErlList(atoms.map((a) => new ErlBitstring(Buffer.from(a, "utf8"))));
    const cases = new ErlList(maps.map((b) => new ErlBitstring(b)));
    writeFileSync(input, encode([names, cases]));
    execFileSync("erl", ["-noshell", "-eval", ERL_SCRIPT], {
      env: { ...process.env, MAP_ORDER_IN: input, MAP_ORDER_OUT: output },
      stdio: ["ignore", "inherit", "inherit"],
    });
    const lines = readFileSync(output).toString("latin1").split("\n");
    // The atoms are new, made in order: if the atom count grew by exactly
    // their number, nothing else made an atom meanwhile and the i-th has
    // index C0 + i.  (false and true are the first two atoms of every VM.)
    const [c0, c1] = JSON.parse(lines[0]!) as [number, number];
    if (c1 - c0 !== atoms.length) {
      throw new Error(`erl's atom count grew by ${c1 - c0}, not ${atoms.length}: another process made atoms; run again`);
    }
    const atomIndex = new Map<string, number>([["false", 0], ["true", 1]]);
    atoms.forEach((a, i) => atomIndex.set(a, c0 + i));
    const results = maps.map((_, i) => ({
      order: JSON.parse(lines[1 + 2 * i]!) as number[],
      text: lines[2 + 2 * i]!,
    }));
    return { atomIndex, results };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------

/** Pairs of small integers whose 32-bit hashes are equal: they part on a salted hash. */
function collidingInts(count: number): number[] {
  const seen = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; out.length < 2 * count; i++) {
    const h = internalHash(i, 0);
    const j = seen.get(h);
    if (j === undefined) seen.set(h, i);
    else out.push(j, i);
  }
  return out;
}

interface Case {
  name: string;
  map: ErlMap;
}

function buildCases(): { cases: Case[]; atoms: string[] } {
  const prefix = `mo${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}_`;
  const gen = new Gen(20250525, prefix);
  const cases: Case[] = [];
  const add = (name: string, map: ErlMap) => cases.push({ name, map });
  const withValues = (keys: Term[]) => new ErlMap(keys.map((k, i) => [k, i]));

  // Fixed cases first: the plain ones a reader would try by hand.
  add("integers 1..100", withValues(Array.from({ length: 100 }, (_, i) => i + 1)));
  add("integers -150..149", withValues(Array.from({ length: 300 }, (_, i) => i - 150)));
  add("strings k1..k60", withValues(Array.from({ length: 60 }, (_, i) => new ErlList([...Buffer.from(`k${i + 1}`)]))));
  add("binaries k1..k60", withValues(Array.from({ length: 60 }, (_, i) => new ErlBitstring(Buffer.from(`k${i + 1}`)))));
  add("tuples {I, I*I}", withValues(Array.from({ length: 50 }, (_, i) => [i, i * i])));
  add("floats 0.5..25.0", withValues(Array.from({ length: 50 }, (_, i) => new ErlFloat((i + 1) / 2))));
  add("1 and 1.0 and -0.0", withValues([1, new ErlFloat(1), new ErlFloat(-0), ...Array.from({ length: 40 }, (_, i) => i + 2)]));
  add("integer edges", withValues([
    2n ** 59n - 1n, 2n ** 59n, -(2n ** 59n), -(2n ** 59n) - 1n, 2n ** 63n, 2n ** 64n - 1n, 2n ** 64n, -(2n ** 64n),
    2n ** 128n + 5n, -(2n ** 200n), ...Array.from({ length: 30 }, (_, i) => i),
  ].map((n) => (typeof n === "bigint" ? intOf(n) : n))));
  add("colliding 32-bit hashes", withValues([...collidingInts(32), ...Array.from({ length: 20 }, (_, i) => i * 7)]));
  add("atoms true and false", withValues(["true", "false", ...Array.from({ length: 40 }, (_, i) => i)]));
  add("large maps as keys", withValues(Array.from({ length: 34 }, (_, i) =>
    new ErlMap(Array.from({ length: 300 + 20 * i }, (_, j) => [j * (i + 1), i])))));
  const funModule = gen.atom();
  add("local funs", withValues(Array.from({ length: 60 }, (_, i) => {
    const uniq = Uint8Array.from({ length: 16 }, () => gen.int(256));
    const free = Array.from({ length: i % 3 }, () => gen.term("any", true, 2));
    return new Closure(i % 4, uniq, gen.int(50), funModule, gen.int(50), gen.int(2 ** 27),
      new Pid("nonode@nohost", 0, 0, 0), free);
  })));
  add("latin-1 and UTF-8 atoms", withValues(Array.from({ length: 80 }, () => gen.atom())));

  // Random maps, a few of each key kind, then mixed.
  const kinds: Kind[] = ["small", "big", "float", "atom", "tuple", "list", "binary", "map"];
  for (const kind of kinds) {
    for (let i = 0; i < 6; i++) {
      const size = 33 + gen.int(kind === "map" ? 40 : 140);
      add(`${kind} keys #${i}`, gen.map(size, kind, kind === "atom" || i % 2 === 1, 0));
    }
  }
  for (let i = 0; i < 60; i++) {
    const size = 33 + gen.int(i < 10 ? 268 : 120);
    add(`mixed keys #${i}`, gen.map(size, "any", i % 2 === 1, 0));
  }
  return { cases, atoms: [...gen.atoms] };
}

describe("maps of more than 32 keys print in OTP 25's order", () => {
  const started = Date.now();
  const { cases, atoms } = buildCases();
  const etf = cases.map((c) => encode([c.map, new ErlList(c.map.entries.map((e) => e[0]))]));
  const oracle = runOracle(atoms, etf);
  const atomIndex = (a: string) => oracle.atomIndex.get(a);

  afterAll(() => {
    // Kept in the log: the budget for this file is about 20 s.
    console.log(`map-order: ${cases.length} maps, ${atoms.length} atoms, ${Date.now() - started} ms`);
  });

  it("generates maps with and without atoms, all hash tries", () => {
    expect(cases.length).toBeGreaterThan(100);
    expect(cases.every((c) => c.map.entries.length > 32)).toBe(true);
    expect(cases.filter((c) => c.map.entries.some(([k]) => hasAtom(k))).length).toBeGreaterThan(30);
    expect(cases.filter((c) => !c.map.entries.some(([k]) => hasAtom(k))).length).toBeGreaterThan(50);
  });

  it("mapIterationOrder walks the keys as maps:next/1 does", () => {
    const failures: string[] = [];
    cases.forEach((c, i) => {
      const decoded = binaryToTerm(etf[i]!) as Term[];
      const m = decoded[0] as ErlMap;
      const want = oracle.results[i]!.order;
      expect(want.length).toBe(c.map.entries.length);
      const pos = new Map(m.entries.map((e, j) => [e, j]));
      const got = mapIterationOrder(m.entries, atomIndex).map((e) => pos.get(e)!);
      if (got.join(",") !== want.join(",")) failures.push(`${c.name}: erl ${want.slice(0, 12)}… ours ${got.slice(0, 12)}…`);
    });
    expect(failures).toEqual([]);
  });

  it("writeTerm prints maps without atoms exactly as ~w", () => {
    const failures: string[] = [];
    let compared = 0;
    cases.forEach((c, i) => {
      if (hasAtom(c.map)) return;
      compared++;
      const decoded = binaryToTerm(etf[i]!) as Term[];
      const text = writeTerm(decoded[0]!);
      if (text !== oracle.results[i]!.text) failures.push(`${c.name}:\n  erl:  ${oracle.results[i]!.text.slice(0, 200)}\n  ours: ${text.slice(0, 200)}`);
    });
    expect(failures).toEqual([]);
    expect(compared).toBeGreaterThan(50);
  });

  it("writeTerm sorts the keys of a large map when they contain atoms", () => {
    for (const c of cases) {
      if (!c.map.entries.some(([k]) => hasAtom(k))) continue;
      const text = writeTerm(c.map);
      const sorted = sortedEntries(c.map.entries);
      expect(text.startsWith(`#{${writeTerm(sorted[0]![0])} => `)).toBe(true);
      expect(mapIterationOrder(c.map.entries)).toEqual(sorted);
    }
  });

  it("keeps small maps sorted", () => {
    const entries: Array<[Term, Term]> = Array.from({ length: 32 }, (_, i) => [31 - i, i]);
    expect(mapIterationOrder(entries).map(([k]) => k)).toEqual(Array.from({ length: 32 }, (_, i) => i));
  });
});
