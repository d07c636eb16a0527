// compiler/bytes.ts — a bounds-checked cursor over a byte array.
//
// In: a Uint8Array, a window [start, end) in it, and a base offset that maps
// positions to file offsets (non-zero for data that was decompressed).
// Out: big-endian integers and sub-arrays.  Every read past the window
// raises a BeamError at the offset where the read began, so no malformed
// length can make a reader loop or allocate without bound.

import { fail } from "./errors.js";

export class ByteReader {
  pos: number;

  constructor(
    readonly bytes: Uint8Array,
    readonly start = 0,
    readonly end = bytes.length,
    /** What to add to a position to report it (see fileOffset). */
    readonly base = 0,
    /** Prefix for error messages, naming the region being read. */
    readonly what = "",
  ) {
    this.pos = start;
  }

  /** The offset to report for position `p`. */
  fileOffset(p = this.pos): number {
    return this.base + p;
  }

  remaining(): number {
    return this.end - this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  fail(detail: string, at = this.pos): never {
    fail(this.fileOffset(at), this.what ? `${this.what}: ${detail}` : detail);
  }

  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.end) {
      this.fail(`truncated ${what} (needs ${n} bytes, ${this.end - this.pos} left)`);
    }
  }

  u8(what = "byte"): number {
    if (this.pos >= this.end) this.fail(`truncated ${what}`);
    return this.bytes[this.pos++]!;
  }

  u16(what = "16-bit integer"): number {
    this.need(2, what);
    const b = this.bytes, p = this.pos;
    this.pos = p + 2;
    return (b[p]! << 8) | b[p + 1]!;
  }

  u32(what = "32-bit integer"): number {
    this.need(4, what);
    const b = this.bytes, p = this.pos;
    this.pos = p + 4;
    return ((b[p]! << 24) >>> 0) + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
  }

  i32(what = "32-bit integer"): number {
    return this.u32(what) | 0;
  }

  /** A view (not a copy) of the next n bytes. */
  take(n: number, what = "bytes"): Uint8Array {
    this.need(n, what);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A reader over the next n bytes, advancing this one past them. */
  sub(n: number, what: string): ByteReader {
    this.need(n, what);
    const r = new ByteReader(this.bytes, this.pos, this.pos + n, this.base, what);
    this.pos += n;
    return r;
  }
}

/** Four bytes as ASCII, for chunk ids. */
export function fourcc(bytes: Uint8Array, at: number): string {
  return String.fromCharCode(bytes[at]!, bytes[at + 1]!, bytes[at + 2]!, bytes[at + 3]!);
}

/** Latin-1 decode: each byte becomes the code point of the same value. */
export function latin1(bytes: Uint8Array): string {
  // Most texts here are short atoms: a plain loop beats spreading them.
  if (bytes.length <= 64) {
    let s = "";
    for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]!);
    return s;
  }
  let s = "";
  for (let i = 0; i < bytes.length; i += 4096) {
    s += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 4096)));
  }
  return s;
}

const utf8Decoder = new TextDecoder("utf-8", { fatal: true });

/** Strict UTF-8 decode; null when the bytes are not valid UTF-8. */
export function utf8(bytes: Uint8Array): string | null {
  let ascii = true;
  for (let i = 0; i < bytes.length && ascii; i++) ascii = bytes[i]! < 0x80;
  if (ascii) return latin1(bytes);
  try {
    return utf8Decoder.decode(bytes);
  } catch {
    return null;
  }
}
