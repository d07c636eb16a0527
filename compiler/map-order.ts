// compiler/map-order.ts — the order in which OTP 25 walks the keys of a map.
//
// In: a map's entries, in any order, and optionally the atom-table index of
// each atom (see below).  Out: the same entries in the order maps:next/1,
// and so io_lib:write (~w), yields them in OTP 25's 64-bit VM.
//
// A map of up to 32 keys is flat, its keys sorted in map-key order.  A
// larger one is a hash trie (HAMT).  make_internal_hash (erts' utils.c)
// gives each key 32 bits; their nibbles, lowest first, pick the child at
// levels 0..7, and keys whose 32 bits are all equal part on a hash salted
// for levels 8..15, and so on.  Iteration visits the children of a node in
// index order, so walking the trie is sorting by hash with the nibbles
// reversed.  The trie itself is built only for maps nested inside keys,
// whose hash covers its shape.
//
// Immediates (small integers, atoms, []) are hashed by their machine word.
// An atom's word holds its index in the atom table, which depends on the
// order in which the VM happened to create its atoms, not on the term: two
// VMs may print the same map differently.  Unless `atomIndex` knows every
// atom involved, a large map whose keys contain atoms keeps sorted order,
// the canonical form the disassembler's oracle prints for such maps
// (tests/oracle/disasm_oracle.erl).  Export funs, pids, ports and
// references are hashed by addresses or numbers local to a VM; large maps
// with such keys are left sorted too.

import { Closure, ErlBitstring, ErlFloat, ErlList, ErlMap, NIL, sortedEntries, type Term } from "./term.js";

/** An atom's index in the VM's atom table, or undefined when it is not known. */
export type AtomIndex = (atom: string) => number | undefined;

/** The most keys a flat map holds (MAP_SMALL_MAP_LIMIT). */
const FLATMAP_LIMIT = 32;

/**
 * The entries in the order OTP 25's maps:next/1 yields them.  `atomIndex`
 * is needed to reproduce the order of large maps whose keys contain atoms.
 */
export function mapIterationOrder(
  entries: ReadonlyArray<[Term, Term]>,
  atomIndex?: AtomIndex,
): Array<[Term, Term]> {
  if (entries.length <= FLATMAP_LIMIT) return sortedEntries(entries);
  try {
    const hasher = new Hasher(atomIndex);
    const keyed = entries.map((e) => ({ e, h: [] as number[] }));
    keyed.sort((x, y) => {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        const a = (x.h[round] ??= hasher.mapHash(x.e[0], round));
        const b = (y.h[round] ??= hasher.mapHash(y.e[0], round));
        if (a !== b) return reverseNibbles(a) - reverseNibbles(b);
      }
      throw new Unhashable(); // equal keys, or hashes that never part
    });
    return keyed.map((x) => x.e);
  } catch (err) {
    if (err instanceof Unhashable) return sortedEntries(entries);
    throw err;
  }
}

/**
 * make_internal_hash(Term, Salt) of the 64-bit OTP 25 VM.  Throws when the
 * hash depends on something the term does not carry (see the header).
 */
export function internalHash(term: Term, salt: number, atomIndex?: AtomIndex): number {
  return new Hasher(atomIndex).hash(term, salt);
}

/** Raised for a key whose hash the VM computes from things a term does not carry. */
class Unhashable extends Error {}

/** 32-bit hashes tried before two keys are taken to be inseparable (64 levels). */
const MAX_ROUNDS = 8;

/** A 32-bit hash with its nibbles in reverse order: the in-order rank in a trie. */
function reverseNibbles(h: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) r = r * 16 + ((h >>> (4 * i)) & 15);
  return r;
}

// ---------------------------------------------------------------------------
// make_internal_hash, as the 64-bit OTP 25 VM computes it.

/** 2^32 / golden ratio, Bob Jenkins' arbitrary start value. */
const HCONST = 0x9e3779b9;
/** HCONST_n is HCONST * n mod 2^32; each term type mixes in its own. */
const hconst = (n: number): number => Math.imul(HCONST, n) >>> 0;
const HCONST_4 = hconst(4), HCONST_9 = hconst(9), HCONST_10 = hconst(10), HCONST_11 = hconst(11),
  HCONST_12 = hconst(12), HCONST_13 = hconst(13), HCONST_15 = hconst(15), HCONST_16 = hconst(16),
  HCONST_17 = hconst(17), HCONST_18 = hconst(18), HCONST_20 = hconst(20), HCONST_21 = hconst(21),
  HCONST_22 = hconst(22);
/** Mixed into the start value so that the hash differs from phash2's. */
const INTERNAL_HASH_SALT = 3432918353;

/** Jenkins' 96-bit mix; Uint32Array stores wrap every step to 32 bits. */
function mix(s: Uint32Array): void {
  s[0] -= s[1]!; s[0] -= s[2]!; s[0] ^= s[2]! >>> 13;
  s[1] -= s[2]!; s[1] -= s[0]!; s[1] ^= s[0]! << 8;
  s[2] -= s[0]!; s[2] -= s[1]!; s[2] ^= s[1]! >>> 13;
  s[0] -= s[1]!; s[0] -= s[2]!; s[0] ^= s[2]! >>> 12;
  s[1] -= s[2]!; s[1] -= s[0]!; s[1] ^= s[0]! << 16;
  s[2] -= s[0]!; s[2] -= s[1]!; s[2] ^= s[1]! >>> 5;
  s[0] -= s[1]!; s[0] -= s[2]!; s[0] ^= s[2]! >>> 3;
  s[1] -= s[2]!; s[1] -= s[0]!; s[1] ^= s[0]! << 10;
  s[2] -= s[0]!; s[2] -= s[1]!; s[2] ^= s[1]! >>> 15;
}

/** Jenkins' hash of a byte block, continuing from `init` (binaries). */
function blockHash(bytes: Uint8Array, len: number, init: number): number {
  const s = new Uint32Array([HCONST, HCONST, init]);
  const le32 = (i: number) => bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24);
  let i = 0;
  for (; len - i >= 12; i += 12) {
    s[0] += le32(i); s[1] += le32(i + 4); s[2] += le32(i + 8);
    mix(s);
  }
  // The 0..11 bytes left fill a and b from the bottom, c from its second
  // byte up: the low byte of c carries the whole length.
  s[2] += len;
  for (let j = len - i - 1; j >= 0; j--) {
    const b = bytes[i + j]!;
    if (j >= 8) s[2] += b << (8 * (j - 7));
    else if (j >= 4) s[1] += b << (8 * (j - 4));
    else s[0] += b << (8 * j);
  }
  mix(s);
  return s[2]!;
}

/** The 64-bit word of an immediate, as its low and high halves. */
type Word = [lo: number, hi: number];

/** [] is an immediate: just its 6 tag bits, 0b111011 (OTP 24 and later). */
const NIL_WORD: Word = [0x3b, 0];

/** Small integers take 60 bits on a 64-bit VM; beyond that they are bignums. */
const SMALL_MIN = -(1n << 59n), SMALL_MAX = (1n << 59n) - 1n;

/** Marker on the work stack: the tail of a cons cell comes next. */
const CDR = Symbol("cdr");

/** A proper or improper list from its `start`-th element; `tail` is no list. */
class ListRest {
  constructor(readonly items: readonly Term[], readonly start: number, readonly tail: Term | null) {}
}

/** A trie node: its children (entries and nodes) in index order. */
class TrieNode {
  constructor(readonly children: ReadonlyArray<TrieNode | [Term, Term]>) {}
}

type Work = Term | ListRest | TrieNode | typeof CDR;

/** A byte-sized small integer: such list elements are hashed four at a time. */
function isByte(t: Term): t is number {
  return typeof t === "number" && Number.isInteger(t) && t >= 0 && t <= 255;
}

class Hasher {
  private readonly s = new Uint32Array(3);
  private h = 0;
  /** The tries of maps nested in keys, built once though hashed per round. */
  private readonly nestedTries = new Map<ErlMap, TrieNode>();

  constructor(private readonly atomIndex: AtomIndex | undefined) {}

  /**
   * make_map_hash(Key, Round): the hash whose nibbles pick the children at
   * levels 8 * Round to 8 * Round + 7.  Keys whose 32-bit hashes are equal
   * are told apart by the next round, salted with a mix of the round number.
   */
  mapHash(term: Term, round: number): number {
    if (round === 0) return this.hash(term, 0);
    const s = this.s;
    s[0] = HCONST_22 + round; s[1] = HCONST_22 + 1; s[2] = 0;
    mix(s);
    return this.hash(term, s[2]!);
  }

  /** make_internal_hash(Term, Salt). */
  hash(term: Term, salt: number): number {
    this.h = (salt ^ INTERNAL_HASH_SALT) >>> 0;
    const stack: Work[] = [];
    let w: Work | undefined = term;
    while (w !== undefined) {
      this.step(w, stack);
      w = stack.pop();
    }
    return this.h;
  }

  /** UINT32_HASH_2: mix two 32-bit values, each offset by the type's constant. */
  private pair(x: number, y: number, k: number): void {
    const s = this.s;
    s[0] = k + x; s[1] = k + y; s[2] = this.h;
    mix(s);
    this.h = s[2]!;
  }

  /** CONST_HASH: a cheap stir that marks list structure. */
  private stir(k: number): void {
    const x = (this.h ^ k) >>> 0;
    this.h = ((x << 17) | (x >>> 15)) >>> 0;
  }

  private word(w: Word): void {
    this.pair(w[0], w[1], HCONST);
  }

  /** Hashes one item; parts still to hash go on the stack, first part last. */
  private step(w: Work, stack: Work[]): void {
    if (w === CDR) return this.stir(HCONST_18);
    if (w instanceof ListRest) return this.list(w, stack);
    if (w instanceof TrieNode) return this.children(w, stack);
    const t = w;
    if (typeof t === "number" || typeof t === "bigint") {
      const n = BigInt(t);
      if (n >= SMALL_MIN && n <= SMALL_MAX) {
        const word = BigInt.asUintN(64, (n << 4n) | 0xfn);
        return this.word([Number(word & 0xffffffffn), Number(word >> 32n)]);
      }
      return this.bignum(n);
    }
    if (typeof t === "string") {
      const index = this.atomIndex?.(t);
      if (index === undefined) throw new Unhashable();
      // make_atom: the index above the 6 tag bits 0b001011.
      return this.word([((index * 64) + 0xb) >>> 0, Math.floor(index / 2 ** 26)]);
    }
    if (t instanceof ErlList) {
      // [a|[b|c]] is [a,b|c] to the VM, however the list was put together.
      let items = t.items, tail = t.tail;
      for (; tail instanceof ErlList; tail = tail.tail) items = items.concat(tail.items);
      if (items.length === 0) return tail === null ? this.word(NIL_WORD) : this.step(tail, stack);
      return this.list(new ListRest(items, 0, tail), stack);
    }
    if (Array.isArray(t)) return this.tuple(t, stack);
    if (t instanceof ErlFloat) {
      // +0.0 and -0.0 are the same key; both hash as +0.0.
      const b = new DataView(new Float64Array([t.value === 0 ? 0 : t.value]).buffer);
      return this.pair(b.getUint32(0, true), b.getUint32(4, true), HCONST_12);
    }
    if (t instanceof ErlBitstring) return this.bitstring(t);
    if (t instanceof ErlMap) return this.map(t, stack);
    if (t instanceof Closure) return this.closure(t, stack);
    // Export funs hash by the address of their export entry; pids, ports and
    // references by local numbers or node addresses: none is in the term.
    throw new Unhashable();
  }

  private list(l: ListRest, stack: Work[]): void {
    // Runs of byte-sized integers (strings) are packed four to a word.
    const { items, tail } = l;
    let i = l.start, c = 0, sh = 0;
    while (i < items.length && isByte(items[i]!)) {
      sh = ((sh << 8) + (items[i] as number)) >>> 0;
      if (c === 3) {
        this.pair(sh, 0, HCONST_4);
        c = sh = 0;
      } else c++;
      i++;
    }
    if (c > 0) this.pair(sh, c, HCONST_22);
    if (i === items.length) {
      // Only bytes up to the tail: the tail follows at once, unmarked.
      if (tail === null) this.word(NIL_WORD);
      else stack.push(tail);
      return;
    }
    // A cons cell with any other head: mark it, hash the head, then the rest.
    this.stir(HCONST_17);
    if (i + 1 < items.length) stack.push(new ListRest(items, i + 1, tail));
    else stack.push(tail ?? NIL, CDR); // the last cell: its tail is marked
    stack.push(items[i]!);
  }

  private tuple(t: readonly Term[], stack: Work[]): void {
    this.pair(t.length, 0, HCONST_9);
    for (let i = t.length - 1; i >= 0; i--) stack.push(t[i]!);
  }

  private bignum(n: bigint): void {
    // Sign and magnitude; the magnitude in 64-bit digits, low digit first.
    const con = n < 0n ? HCONST_10 : HCONST_11;
    let m = n < 0n ? -n : n;
    while (m > 0n) {
      this.pair(Number(m & 0xffffffffn), Number((m >> 32n) & 0xffffffffn), con);
      m >>= 64n;
    }
  }

  private bitstring(b: ErlBitstring): void {
    const whole = b.bitSize >> 3, rest = b.bitSize & 7;
    const con = (HCONST_13 + this.h) >>> 0;
    if (b.bitSize === 0) {
      this.h = con;
      return;
    }
    this.h = blockHash(b.bytes, whole, con);
    if (rest > 0) this.pair(rest, b.bytes[whole]! >> (8 - rest), HCONST_15);
  }

  private map(m: ErlMap, stack: Work[]): void {
    this.pair(m.entries.length, 0, HCONST_16);
    if (m.entries.length <= FLATMAP_LIMIT) {
      // A flat map: each key, then its value, in key order.
      const es = sortedEntries(m.entries);
      for (let i = es.length - 1; i >= 0; i--) stack.push(es[i]![1], es[i]![0]);
      return;
    }
    // A trie, hashed node by node.  binary_to_term builds every inner node
    // as a bitmap node, even a full one, so no node is hashed as the
    // 16-tuple that other ways of building a map may leave.
    this.children(this.trieOf(m), stack);
  }

  /** A node's children are pushed first to last, so they hash last to first. */
  private children(n: TrieNode, stack: Work[]): void {
    for (const c of n.children) {
      if (Array.isArray(c)) stack.push(c[1], c[0]);
      else stack.push(c);
    }
  }

  private closure(f: Closure, stack: Work[]): void {
    const index = typeof f.module === "string" ? this.atomIndex?.(f.module) : undefined;
    if (index === undefined) throw new Unhashable();
    // The module's atom word cut to 32 bits; then the fun's index (the new
    // one, not OldIndex) and OldUniq; then the free variables.
    this.pair(f.free.length, ((index * 64) + 0xb) >>> 0, HCONST_20);
    if (typeof f.oldUniq !== "number") throw new Unhashable();
    this.pair(f.index, f.oldUniq >>> 0, HCONST_21);
    for (let i = f.free.length - 1; i >= 0; i--) stack.push(f.free[i]!);
  }

  /** The trie of a large map, as the VM lays it out. */
  private trieOf(m: ErlMap): TrieNode {
    let trie = this.nestedTries.get(m);
    if (trie === undefined) {
      // Its keys are hashed by a hasher of their own: this one is mid-term.
      trie = buildTrie(m.entries.map((e) => ({ e, h: [] })), 0, new Hasher(this.atomIndex));
      this.nestedTries.set(m, trie);
    }
    return trie;
  }
}

/** The trie node holding `keys` at `level`: children by hash nibble, in order. */
function buildTrie(keys: Array<{ e: [Term, Term]; h: number[] }>, level: number, hasher: Hasher): TrieNode {
  const round = level >> 3;
  if (round >= MAX_ROUNDS) throw new Unhashable();
  const groups: Array<typeof keys> = [];
  for (const k of keys) {
    const h = (k.h[round] ??= hasher.mapHash(k.e[0], round));
    (groups[(h >>> (4 * (level & 7))) & 15] ??= []).push(k);
  }
  const children: Array<TrieNode | [Term, Term]> = [];
  for (const g of groups) {
    if (g === undefined) continue;
    children.push(g.length === 1 ? g[0]!.e : buildTrie(g, level + 1, hasher));
  }
  return new TrieNode(children);
}
