// compiler/etf.ts — the external term format (binary_to_term) decoder.
//
// In: bytes that start with the version byte 131 (LitT entries, CInf, Attr).
// Out: a Term (see term.ts).  Every tag of OTP 25's external format is
// read, including zlib-compressed terms; distribution-header tags are
// rejected.  Counts and lengths are checked against the bytes that remain
// before anything is allocated, so a corrupt count cannot exhaust memory.

import { inflateSync } from "node:zlib";
import { ByteReader, latin1, utf8 } from "./bytes.js";
import {
  Closure, ErlBitstring, ErlFloat, ErlList, ErlMap, ExportFun, intTerm, NIL, Pid, Port, Ref,
  type Term,
} from "./term.js";

const VERSION = 131;

// Tags, named as in OTP's external term format documentation.
const enum Tag {
  NEW_FLOAT = 70,
  BIT_BINARY = 77,
  COMPRESSED = 80,
  NEW_PID = 88,
  NEW_PORT = 89,
  NEWER_REFERENCE = 90,
  SMALL_INTEGER = 97,
  INTEGER = 98,
  FLOAT = 99,
  ATOM = 100,
  REFERENCE = 101,
  PORT = 102,
  PID = 103,
  SMALL_TUPLE = 104,
  LARGE_TUPLE = 105,
  NIL = 106,
  STRING = 107,
  LIST = 108,
  BINARY = 109,
  SMALL_BIG = 110,
  LARGE_BIG = 111,
  NEW_FUN = 112,
  EXPORT = 113,
  NEW_REFERENCE = 114,
  SMALL_ATOM = 115,
  MAP = 116,
  ATOM_UTF8 = 118,
  SMALL_ATOM_UTF8 = 119,
  V4_PORT = 120,
}

/** Deepest nesting accepted, so that hostile input cannot overflow the JS stack. */
const MAX_DEPTH = 2000;

/** The largest size a compressed term may claim before it is inflated. */
const MAX_INFLATED = 1 << 28;

function atomText(r: ByteReader, len: number, isUtf8: boolean): string {
  const at = r.pos;
  const raw = r.take(len, "atom text");
  if (!isUtf8) return latin1(raw);
  const s = utf8(raw);
  if (s === null) r.fail("atom text is not valid UTF-8", at);
  if ([...s].length > 255) r.fail("atom longer than 255 characters", at);
  return s;
}

function decodeBig(r: ByteReader, n: number): number | bigint {
  const sign = r.u8("bignum sign");
  const digits = r.take(n, "bignum digits");
  let v = 0n;
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(digits[i]!);
  return intTerm(sign === 0 ? v : -v);
}

function decodeAtomTerm(r: ByteReader, depth: number): string {
  const at = r.pos;
  const t = decodeTerm(r, depth);
  if (typeof t !== "string") r.fail("expected an atom", at);
  return t;
}

function decodeTerm(r: ByteReader, depth: number): Term {
  if (depth > MAX_DEPTH) r.fail("term nested too deeply");
  const at = r.pos;
  const tag = r.u8("term tag");
  switch (tag) {
    case Tag.SMALL_INTEGER:
      return r.u8();
    case Tag.INTEGER:
      return r.i32();
    case Tag.FLOAT: {
      const text = latin1(r.take(31, "float text")).replace(/\0.*$/s, "");
      const v = Number(text.trim());
      if (!Number.isFinite(v)) r.fail(`bad float text ${JSON.stringify(text)}`, at);
      return new ErlFloat(v);
    }
    case Tag.NEW_FLOAT: {
      const b = r.take(8, "float");
      const v = new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, false);
      if (!Number.isFinite(v)) r.fail("float is not finite", at);
      return new ErlFloat(v);
    }
    case Tag.ATOM:
    case Tag.ATOM_UTF8:
      return atomText(r, r.u16("atom length"), tag === Tag.ATOM_UTF8);
    case Tag.SMALL_ATOM:
    case Tag.SMALL_ATOM_UTF8:
      return atomText(r, r.u8("atom length"), tag === Tag.SMALL_ATOM_UTF8);
    case Tag.SMALL_TUPLE:
    case Tag.LARGE_TUPLE: {
      const n = tag === Tag.SMALL_TUPLE ? r.u8("tuple arity") : r.u32("tuple arity");
      if (n > r.remaining()) r.fail(`tuple arity ${n} exceeds the data`, at);
      const out: Term[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = decodeTerm(r, depth + 1);
      return out;
    }
    case Tag.NIL:
      return NIL;
    case Tag.STRING: {
      const n = r.u16("string length");
      const b = r.take(n, "string");
      return n === 0 ? NIL : new ErlList(Array.from(b));
    }
    case Tag.LIST: {
      const n = r.u32("list length");
      if (n > r.remaining()) r.fail(`list length ${n} exceeds the data`, at);
      const items: Term[] = new Array(n);
      for (let i = 0; i < n; i++) items[i] = decodeTerm(r, depth + 1);
      const tail = decodeTerm(r, depth + 1);
      if (tail instanceof ErlList) {
        // [a|[b|c]] is [a,b|c]: keep lists flat.
        if (n === 0) return tail;
        return new ErlList(items.concat(tail.items), tail.tail);
      }
      if (n === 0) r.fail("list with no elements", at);
      return new ErlList(items, tail);
    }
    case Tag.BINARY: {
      const n = r.u32("binary length");
      return new ErlBitstring(r.take(n, "binary").slice());
    }
    case Tag.BIT_BINARY: {
      const n = r.u32("bitstring length");
      const bits = r.u8("bitstring tail bits");
      if (bits < 1 || bits > 8 || n === 0) r.fail("bad bitstring tail bit count", at);
      const b = r.take(n, "bitstring").slice();
      b[n - 1] = b[n - 1]! & ((0xff << (8 - bits)) & 0xff);
      return new ErlBitstring(b, (n - 1) * 8 + bits);
    }
    case Tag.SMALL_BIG:
      return decodeBig(r, r.u8("bignum length"));
    case Tag.LARGE_BIG:
      return decodeBig(r, r.u32("bignum length"));
    case Tag.MAP: {
      const n = r.u32("map size");
      if (n > r.remaining()) r.fail(`map size ${n} exceeds the data`, at);
      const entries: Array<[Term, Term]> = [];
      for (let i = 0; i < n; i++) {
        const k = decodeTerm(r, depth + 1);
        entries.push([k, decodeTerm(r, depth + 1)]);
      }
      return new ErlMap(entries);
    }
    case Tag.PID:
    case Tag.NEW_PID: {
      const node = decodeAtomTerm(r, depth + 1);
      const id = r.u32(), serial = r.u32();
      const creation = tag === Tag.PID ? r.u8() : r.u32();
      return new Pid(node, id, serial, creation);
    }
    case Tag.PORT:
    case Tag.NEW_PORT:
    case Tag.V4_PORT: {
      const node = decodeAtomTerm(r, depth + 1);
      let id: bigint;
      if (tag === Tag.V4_PORT) {
        const hi = r.u32(), lo = r.u32();
        id = (BigInt(hi) << 32n) | BigInt(lo);
      } else id = BigInt(r.u32());
      const creation = tag === Tag.PORT ? r.u8() : r.u32();
      return new Port(node, id, creation);
    }
    case Tag.REFERENCE: {
      const node = decodeAtomTerm(r, depth + 1);
      const id = r.u32();
      return new Ref(node, r.u8(), [id]);
    }
    case Tag.NEW_REFERENCE:
    case Tag.NEWER_REFERENCE: {
      const n = r.u16("reference length");
      if (n > 5) r.fail(`reference with ${n} words`, at);
      const node = decodeAtomTerm(r, depth + 1);
      const creation = tag === Tag.NEW_REFERENCE ? r.u8() : r.u32();
      const ids: number[] = [];
      for (let i = 0; i < n; i++) ids.push(r.u32());
      return new Ref(node, creation, ids);
    }
    case Tag.EXPORT: {
      const m = decodeTerm(r, depth + 1);
      const f = decodeTerm(r, depth + 1);
      const aAt = r.pos;
      const a = decodeTerm(r, depth + 1);
      if (typeof a !== "number" || a < 0 || a > 255) r.fail("bad export fun arity", aAt);
      return new ExportFun(m, f, a);
    }
    case Tag.NEW_FUN: {
      const size = r.u32("fun size");
      if (size < 4 || size - 4 > r.remaining()) r.fail(`fun size ${size} exceeds the data`, at);
      const body = r.sub(size - 4, "fun");
      const arity = body.u8();
      const uniq = body.take(16).slice();
      const index = body.u32();
      const numFree = body.u32();
      const module = decodeTerm(body, depth + 1);
      const oldIndex = decodeTerm(body, depth + 1);
      const oldUniq = decodeTerm(body, depth + 1);
      const pid = decodeTerm(body, depth + 1);
      if (numFree > body.remaining()) r.fail(`fun with ${numFree} free variables exceeds the data`, at);
      const free: Term[] = [];
      for (let i = 0; i < numFree; i++) free.push(decodeTerm(body, depth + 1));
      if (!body.atEnd()) body.fail("fun size does not match its contents");
      return new Closure(arity, uniq, index, module, oldIndex, oldUniq, pid, free);
    }
    case Tag.COMPRESSED:
      r.fail("compressed term nested inside a term", at);
    // falls through (fail never returns)
    default:
      return r.fail(`unknown external term tag ${tag}`, at);
  }
}

/**
 * binary_to_term: decodes one whole term.  `base` maps positions to the
 * offsets reported in errors; `what` names the region (for messages).
 */
export function binaryToTerm(bytes: Uint8Array, base = 0, what = "term"): Term {
  const r = new ByteReader(bytes, 0, bytes.length, base, what);
  if (r.u8("version byte") !== VERSION) r.fail(`not external term format (version byte ${bytes[0]})`, 0);
  if (bytes[1] === Tag.COMPRESSED) {
    r.u8();
    const size = r.u32("uncompressed size");
    if (size > MAX_INFLATED) r.fail(`compressed term claims ${size} bytes`);
    let inflated: Buffer;
    try {
      inflated = inflateSync(r.take(r.remaining()), { maxOutputLength: Math.max(size, 1) });
    } catch {
      return r.fail("compressed term does not inflate");
    }
    if (inflated.length !== size) r.fail(`compressed term inflates to ${inflated.length} bytes, not ${size}`);
    const body = new ByteReader(inflated, 0, inflated.length, 0, `${what} (inflated)`);
    return decodeTerm(body, 0);
  }
  // Like binary_to_term/1, bytes after the term are ignored.
  return decodeTerm(r, 0);
}
