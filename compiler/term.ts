// compiler/term.ts — Erlang terms as TypeScript values.
//
// In: nothing.  Out: the Term type that the literal decoder produces and the
// printers consume, plus constructors and Erlang's term order.
//
// Representation (chosen so that the common cases allocate nothing extra):
//   integer    number when it is a safe integer, else bigint
//   float      ErlFloat (a JS number alone could not tell 1.0 from 1)
//   atom       string (the only JS strings in a Term)
//   tuple      Term[] (a plain array)
//   list       ErlList: items, then a tail that is null for a proper list
//   bitstring  ErlBitstring: bytes and the length in bits
//   map        ErlMap: key/value pairs, in the order they were built
//   others     Pid, Port, Ref, ExportFun, Closure

export type Term =
  | number
  | bigint
  | string
  | ErlFloat
  | Term[]
  | ErlList
  | ErlBitstring
  | ErlMap
  | Pid
  | Port
  | Ref
  | ExportFun
  | Closure;

export class ErlFloat {
  constructor(readonly value: number) {}
}

export class ErlList {
  /** tail === null means the list is proper (its last tail is []). */
  constructor(readonly items: Term[], readonly tail: Term | null = null) {}
}

/** The empty list, []. */
export const NIL = new ErlList([]);

export class ErlBitstring {
  constructor(readonly bytes: Uint8Array, readonly bitSize: number = bytes.length * 8) {}
}

export class ErlMap {
  constructor(readonly entries: Array<[Term, Term]>) {}
}

export class Pid {
  constructor(readonly node: string, readonly id: number, readonly serial: number, readonly creation: number) {}
}

export class Port {
  constructor(readonly node: string, readonly id: bigint, readonly creation: number) {}
}

export class Ref {
  constructor(readonly node: string, readonly creation: number, readonly ids: number[]) {}
}

/** fun M:F/A */
export class ExportFun {
  constructor(readonly module: Term, readonly name: Term, readonly arity: number) {}
}

/** A local fun (NEW_FUN_EXT): never a literal in a .beam, but valid external format. */
export class Closure {
  constructor(
    readonly arity: number,
    readonly uniq: Uint8Array,
    readonly index: number,
    readonly module: Term,
    readonly oldIndex: Term,
    readonly oldUniq: Term,
    readonly pid: Term,
    readonly free: Term[],
  ) {}
}

/** An integer term from a bigint, as a number when that is exact. */
export function intTerm(n: bigint): number | bigint {
  return n >= -9007199254740991n && n <= 9007199254740991n ? Number(n) : n;
}

/** A proper list. */
export function list(items: Term[]): ErlList {
  return items.length === 0 ? NIL : new ErlList(items);
}

export function isInteger(t: Term): t is number | bigint {
  return typeof t === "number" || typeof t === "bigint";
}

// ---------------------------------------------------------------------------
// Term order: number < atom < reference < fun < port < pid < tuple < map
//             < nil < list < bitstring

function rank(t: Term): number {
  if (typeof t === "number" || typeof t === "bigint" || t instanceof ErlFloat) return 0;
  if (typeof t === "string") return 1;
  if (t instanceof Ref) return 2;
  if (t instanceof ExportFun || t instanceof Closure) return 3;
  if (t instanceof Port) return 4;
  if (t instanceof Pid) return 5;
  if (Array.isArray(t)) return 6;
  if (t instanceof ErlMap) return 7;
  if (t instanceof ErlList) return t.items.length === 0 && t.tail === null ? 8 : 9;
  return 10; // bitstring
}

function cmp<T extends number | bigint | string>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNumbers(a: number | bigint | ErlFloat, b: number | bigint | ErlFloat, exact: boolean): number {
  const af = a instanceof ErlFloat, bf = b instanceof ErlFloat;
  // Map keys: every integer sorts before every float.
  if (exact && af !== bf) return af ? 1 : -1;
  const av = af ? a.value : a, bv = bf ? b.value : b;
  let c: number;
  if (typeof av === "bigint" || typeof bv === "bigint") {
    // Mixed bigint/float comparisons: compare exactly where a float is integral.
    if (typeof av === "number" && !Number.isInteger(av)) {
      c = compareNumbers(new ErlFloat(Math.floor(av)), b, exact) || 1;
    } else if (typeof bv === "number" && !Number.isInteger(bv)) {
      c = compareNumbers(a, new ErlFloat(Math.floor(bv)), exact) || -1;
    } else {
      c = cmp(BigInt(av), BigInt(bv));
    }
  } else {
    c = cmp(av, bv);
  }
  return c;
}

function compareSeq(a: readonly Term[], b: readonly Term[], exact: boolean): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareTerms(a[i]!, b[i]!, exact);
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * Erlang's term order.  With `exact` (the order of map keys), integers and
 * floats are not compared by value: every integer sorts before every float.
 */
export function compareTerms(a: Term, b: Term, exact = false): number {
  const ra = rank(a), rb = rank(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      return compareNumbers(a as number, b as number, exact);
    case 1:
      return cmp(a as string, b as string);
    case 6: {
      const ta = a as Term[], tb = b as Term[];
      return ta.length !== tb.length ? cmp(ta.length, tb.length) : compareSeq(ta, tb, exact);
    }
    case 7: {
      const ma = (a as ErlMap).entries, mb = (b as ErlMap).entries;
      if (ma.length !== mb.length) return cmp(ma.length, mb.length);
      const sa = sortedEntries(ma), sb = sortedEntries(mb);
      return compareSeq(sa.map((e) => e[0]), sb.map((e) => e[0]), exact) ||
        compareSeq(sa.map((e) => e[1]), sb.map((e) => e[1]), exact);
    }
    case 8:
      return 0;
    case 9: {
      const la = a as ErlList, lb = b as ErlList;
      const c = compareSeq(la.items, lb.items, exact);
      if (c !== 0) return c;
      if (la.items.length !== lb.items.length) {
        // The shorter one continues with its tail; compare that with the rest.
        const short = la.items.length < lb.items.length ? la : lb;
        const long = short === la ? lb : la;
        const rest = new ErlList(long.items.slice(short.items.length), long.tail);
        const r = compareTerms(short.tail ?? NIL, rest, exact);
        return short === la ? r : -r;
      }
      return compareTerms(la.tail ?? NIL, lb.tail ?? NIL, exact);
    }
    case 10: {
      const ba = a as ErlBitstring, bb = b as ErlBitstring;
      const n = Math.min(ba.bitSize, bb.bitSize);
      for (let i = 0; i < n; i++) {
        const x = (ba.bytes[i >> 3]! >> (7 - (i & 7))) & 1, y = (bb.bytes[i >> 3]! >> (7 - (i & 7))) & 1;
        if (x !== y) return x - y;
      }
      return cmp(ba.bitSize, bb.bitSize);
    }
    default:
      // References, funs, ports and pids never appear in .beam literals;
      // order them by their printed identity so that sorting is total.
      return cmp(JSON.stringify(a, (_k, v) => (typeof v === "bigint" ? v.toString() : v)),
        JSON.stringify(b, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
  }
}

/** Map entries sorted by key, the order of a small (flat) map. */
export function sortedEntries(entries: ReadonlyArray<[Term, Term]>): Array<[Term, Term]> {
  return [...entries].sort((x, y) => compareTerms(x[0], y[0], true));
}
