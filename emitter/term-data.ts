// emitter/term-data.ts — constant terms as static data in the image.
//
// In: a Term (a literal, or an integer or float operand) and the atom table.
// Out: NASM data lines that lay the term out exactly as it would be on a
// heap, and the expression for the term word itself (an immediate, or the
// address of the data plus its tag).  Literals live outside every process
// heap; the GC leaves pointers to them alone.

import { atomTerm, header, HEADER, NIL, smallTerm, TAG } from "./abi.js";
import { compareTerms, ErlBitstring, ErlFloat, ErlList, ErlMap, ExportFun, type Term } from "../compiler/term.js";

const SMALL_MIN = -(2 ** 27), SMALL_MAX = 2 ** 27 - 1;

/** A constant of a kind the image cannot hold yet. */
export class UnsupportedTermError extends Error {}

export class TermData {
  readonly lines: string[] = [];
  private n = 0;

  constructor(private readonly prefix: string, private readonly atom: (name: string) => number) {}

  private fresh(): string {
    return `${this.prefix}.${this.n++}`;
  }

  /** The NASM expression for the term's word, emitting data as needed. */
  word(t: Term): string {
    if (typeof t === "number" && t >= SMALL_MIN && t <= SMALL_MAX) return `0x${smallTerm(t).toString(16)}`;
    if (typeof t === "number" || typeof t === "bigint") return this.bignum(BigInt(t));
    if (typeof t === "string") return `0x${atomTerm(this.atom(t)).toString(16)}`;
    if (t instanceof ErlFloat) {
      const l = this.fresh();
      this.lines.push("align 4", `${l}: dd 0x${header(2, HEADER.FLOAT).toString(16)}`, `  dq ${floatLiteral(t.value)}`);
      return `(${l} + ${TAG.BOXED})`;
    }
    if (Array.isArray(t)) {
      const words = t.map((e) => this.word(e));
      const l = this.fresh();
      this.lines.push("align 4", `${l}: dd 0x${header(t.length, HEADER.ARITYVAL).toString(16)}${words.map((w) => `, ${w}`).join("")}`);
      return `(${l} + ${TAG.BOXED})`;
    }
    if (t instanceof ErlList) {
      if (t.items.length === 0 && t.tail === null) return `0x${NIL.toString(16)}`;
      // Build from the tail backwards so that every cell's tail exists.
      let tail = t.tail === null ? `0x${NIL.toString(16)}` : this.word(t.tail);
      for (let i = t.items.length - 1; i >= 0; i--) {
        const head = this.word(t.items[i]!);
        const l = this.fresh();
        this.lines.push("align 4", `${l}: dd ${head}, ${tail}`);
        tail = `(${l} + ${TAG.LIST})`;
      }
      return tail;
    }
    if (t instanceof ErlBitstring) {
      // A heap binary: header (arity = words after it), byte size, bytes;
      // a bitstring of a size that is no whole number of bytes: the same
      // with HEAP_BITS and the size in bits (the last byte's spare bits 0).
      const whole = t.bitSize % 8 === 0;
      const bytes = t.bytes.slice(0, Math.ceil(t.bitSize / 8));
      if (!whole && bytes.length) bytes[bytes.length - 1]! &= (0xff << (8 - (t.bitSize % 8))) & 0xff;
      const words = 1 + Math.ceil(bytes.length / 4);
      const l = this.fresh();
      // Padded with zero bytes to the word (NASM's align would pad with
      // 0x90): =:= compares the words.
      const padded = [...bytes, ...new Array<number>((4 - (bytes.length % 4)) % 4).fill(0)];
      const data = padded.length ? `\n  db ${padded.join(",")}` : "";
      const kind = whole ? HEADER.HEAP_BIN : HEADER.HEAP_BITS;
      this.lines.push("align 4", `${l}: dd 0x${header(words, kind).toString(16)}, ${whole ? bytes.length : t.bitSize}${data}`, "align 4");
      return `(${l} + ${TAG.BOXED})`;
    }
    if (t instanceof ExportFun && typeof t.module === "string" && typeof t.name === "string") {
      // fun M:F/A: {header(EXPORT, 3), M, small(A), F}; the arity sits
      // where a fun keeps it, so one test covers both (docs/abi.md).
      const l = this.fresh();
      this.lines.push("align 4", `${l}: dd 0x${header(3, HEADER.EXPORT).toString(16)}, ${this.word(t.module)}, 0x${smallTerm(t.arity).toString(16)}, ${this.word(t.name)}`);
      return `(${l} + ${TAG.BOXED})`;
    }
    if (t instanceof ErlMap) {
      // {header(MAP, 2 + N), small(N), the keys tuple, the values}: keys in term order.
      const entries = [...t.entries].sort((a, b) => compareTerms(a[0], b[0], true));
      const keys = this.word(entries.map((e) => e[0]));
      const values = entries.map((e) => this.word(e[1]));
      const l = this.fresh();
      this.lines.push("align 4",
        `${l}: dd 0x${header(2 + entries.length, HEADER.MAP).toString(16)}, 0x${smallTerm(entries.length).toString(16)}, ${keys}${values.map((w) => `, ${w}`).join("")}`);
      return `(${l} + ${TAG.BOXED})`;
    }
    throw new UnsupportedTermError("this kind of literal is not supported yet");
  }

  private bignum(v: bigint): string {
    // Sign in the header, magnitude in 32-bit digits, least significant first.
    const neg = v < 0n;
    let m = neg ? -v : v;
    const digits: string[] = [];
    while (m > 0n) {
      digits.push(`0x${(m & 0xffffffffn).toString(16)}`);
      m >>= 32n;
    }
    const l = this.fresh();
    this.lines.push("align 4", `${l}: dd 0x${header(digits.length, neg ? HEADER.NEG_BIG : HEADER.POS_BIG).toString(16)}, ${digits.join(", ")}`);
    return `(${l} + ${TAG.BOXED})`;
  }
}

/** A double as NASM writes it exactly: its bit pattern. */
function floatLiteral(v: number): string {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v);
  return `0x${dv.getBigUint64(0).toString(16)}`;
}
