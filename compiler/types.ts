// compiler/types.ts — the Type chunk: what the compiler proved about registers.
//
// In:  18-byte entries of the Type chunk (version 1): a 16-bit set of
//      primitive type bits, then the lowest and highest integer value as
//      unsigned 64-bit words (OTP writes 0 and 2^64-1 when it knows none).
// Out: BeamType values for the code generator, and, for the disassembler,
//      the term that OTP's beam_types:decode_ext/1 builds from an entry: the
//      lattice join of the primitive types whose bits are set, with OTP's
//      record defaults, in a tuple with the two range words.
//
// The join below covers exactly the lattice elements that decode_ext can
// produce (default-valued records and their unions); tests compare it with
// OTP for all 8,192 bit sets.

import { ErlMap, type Term } from "./term.js";

const EMPTY_MAP = new ErlMap([]);

/** Primitive type bits, in the order decode_ext folds over them. */
export const TYPE_BITS = {
  atom: 1 << 0,
  bitstring: 1 << 1,
  bs_matchstate: 1 << 2,
  cons: 1 << 3,
  float: 1 << 4,
  fun: 1 << 5,
  integer: 1 << 6,
  map: 1 << 7,
  nil: 1 << 8,
  pid: 1 << 9,
  port: 1 << 10,
  reference: 1 << 11,
  tuple: 1 << 12,
} as const;

export interface BeamType {
  /** The set of TYPE_BITS that the value may have. */
  readonly bits: number;
  /** Integer range words as stored (unsigned 64-bit). */
  readonly min: bigint;
  readonly max: bigint;
}

export function decodeTypeEntry(b: Uint8Array): BeamType {
  const dv = new DataView(b.buffer, b.byteOffset, 18);
  return { bits: dv.getUint16(0), min: dv.getBigUint64(2), max: dv.getBigUint64(10) };
}

/** The signed integer range, when the entry carries one (min <= max as signed). */
export function integerRange(t: BeamType): { min: bigint; max: bigint } | null {
  const min = BigInt.asIntN(64, t.min), max = BigInt.asIntN(64, t.max);
  return min <= max ? { min, max } : null;
}

// ---------------------------------------------------------------------------
// The lattice, restricted to what decode_ext builds.

type Kind = "atom" | "list" | "number" | "tuple" | "other";

/** A non-union lattice element: its union slot and its printed record. */
interface Elem {
  readonly kind: Kind;
  readonly key: string;
}

type Lat = "none" | "any" | Elem | Union;

interface Union {
  readonly kind: "union";
  readonly slots: Readonly<Record<Kind, Elem | null>>;
}

const E = (kind: Kind, key: string): Elem => ({ kind, key });

const PRIMITIVES: ReadonlyArray<readonly [number, Elem]> = [
  [TYPE_BITS.atom, E("atom", "t_atom")],
  [TYPE_BITS.bitstring, E("other", "t_bitstring")],
  [TYPE_BITS.bs_matchstate, E("other", "t_bs_context")],
  [TYPE_BITS.cons, E("list", "t_cons")],
  [TYPE_BITS.float, E("number", "t_float")],
  [TYPE_BITS.fun, E("other", "t_fun")],
  [TYPE_BITS.integer, E("number", "t_integer")],
  [TYPE_BITS.map, E("other", "t_map")],
  [TYPE_BITS.nil, E("list", "nil")],
  [TYPE_BITS.pid, E("other", "pid")],
  [TYPE_BITS.port, E("other", "port")],
  [TYPE_BITS.reference, E("other", "reference")],
  [TYPE_BITS.tuple, E("tuple", "t_tuple")],
];

/** Least upper bound of two elements of one slot, or of none and one. */
function lub(a: Elem | null, b: Elem | null): Elem | "any" | null {
  if (a === null) return b;
  if (b === null || a.key === b.key) return a;
  const pair = new Set([a.key, b.key]);
  const has = (x: string, y: string) => pair.has(x) && pair.has(y);
  if (has("t_cons", "nil") || has("t_list", "nil") || has("t_cons", "t_list")) return E("list", "t_list");
  if (has("t_float", "t_integer") || pair.has("number")) return E("number", "number");
  const bits = ["t_bitstring", "t_bs_context", "t_bs_matchable"];
  if (bits.includes(a.key) && bits.includes(b.key)) return E("other", "t_bs_matchable");
  return "any";
}

function shrink(u: Union): Lat {
  const filled = (Object.keys(u.slots) as Kind[]).filter((k) => u.slots[k] !== null);
  return filled.length === 1 ? u.slots[filled[0]!]! : u;
}

function join(a: Lat, b: Lat): Lat {
  if (a === b) return a;
  if (a === "any" || b === "any") return "any";
  if (a === "none") return b;
  if (b === "none") return a;
  const ua: Union = a.kind === "union" ? a : { kind: "union", slots: { atom: null, list: null, number: null, tuple: null, other: null, [a.kind]: a } };
  const eb = b as Elem | Union;
  if (eb.kind === "union") {
    const slots = { ...ua.slots };
    for (const k of Object.keys(slots) as Kind[]) {
      const l = lub(slots[k], eb.slots[k]);
      if (l === "any") return "any";
      slots[k] = l;
    }
    return shrink({ kind: "union", slots });
  }
  const l = lub(ua.slots[eb.kind], eb);
  if (l === "any") return "any";
  return shrink({ kind: "union", slots: { ...ua.slots, [eb.kind]: l } });
}

/** The default-valued record that OTP prints for an element. */
function elemTerm(e: Elem): Term {
  switch (e.key) {
    case "t_atom": case "t_float": case "t_integer": return [e.key, "any"];
    case "t_bitstring": case "t_bs_context": case "t_bs_matchable": return [e.key, 1];
    case "t_cons": case "t_list": case "t_map": return [e.key, "any", "any"];
    case "t_fun": return [e.key, "any", "any", "any"];
    case "t_tuple": return [e.key, 0, "false", EMPTY_MAP];
    default: return e.key; // nil, number, pid, port, reference
  }
}


function latTerm(t: Lat): Term {
  if (typeof t === "string") return t;
  if (t.kind !== "union") return elemTerm(t);
  const s = (e: Elem | null): Term => (e === null ? "none" : elemTerm(e));
  const { atom, list, number, tuple, other } = t.slots;
  return ["t_union", s(atom), s(list), s(number), s(tuple), s(other)];
}

const joinCache = new Map<number, Term>();

/** decode_ext/1's type for a set of primitive bits (the first tuple element). */
export function joinedTypeTerm(bits: number): Term {
  let t = joinCache.get(bits);
  if (t === undefined) {
    let acc: Lat = "none";
    for (const [bit, elem] of PRIMITIVES) if (bits & bit) acc = join(elem, acc);
    t = latTerm(acc);
    joinCache.set(bits, t);
  }
  return t;
}

/** The whole term that beam_disasm shows for a type entry: {Type, Min, Max}. */
export function typeTerm(t: BeamType): Term {
  const n = (v: bigint): Term => (v <= 9007199254740991n ? Number(v) : v);
  return [joinedTypeTerm(t.bits), n(t.min), n(t.max)];
}
