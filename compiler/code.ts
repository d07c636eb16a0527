// compiler/code.ts — the Code chunk: compact-term operands and generic instructions.
//
// In:  a BeamFile (beam-file.ts) whose Code chunk holds the instruction stream.
// Out: Instr objects, one per generic instruction, in file order, each with
//      its opcode, name, decoded operands and file offset.
//
// Compact term encoding (OTP's beam_asm.erl writes it, beam_load.c reads it):
// the low 3 bits of the first byte are a tag —
//   0 u (unsigned literal)  1 i (integer)  2 a (atom; 0 is [])  3 x register
//   4 y register  5 f (label)  6 h (character)  7 z (extended, below) —
// and the value follows in one of three forms:
//   vvvv0ttt                 value < 16
//   vvv01ttt vvvvvvvv        value < 2048
//   nnn11ttt + n+2 bytes     big-endian, n = 7 means the byte count - 9
//                            follows as a u-tagged operand; i-tagged values
//                            are two's complement.
// Extended (z) operands, by the value in bits 4-7:
//   0 float (8 bytes)   1 list (u length, then operands)   2 fr register
//   3 allocation list   4 literal (u index into LitT)      5 typed register
//   (x or y, then a u index into the Type chunk)

import type { BeamFile } from "./beam-file.js";
import { ByteReader } from "./bytes.js";
import { OPCODES, type OpName } from "./opcodes.js";
import type { Term } from "./term.js";
import type { BeamType } from "./types.js";

export interface AllocItem {
  readonly kind: "words" | "floats" | "funs";
  readonly n: number;
}

export type Operand =
  | { readonly kind: "u"; readonly value: number }
  | { readonly kind: "i"; readonly value: number | bigint }
  | { readonly kind: "atom"; readonly value: string }
  | { readonly kind: "nil" }
  | { readonly kind: "x"; readonly n: number }
  | { readonly kind: "y"; readonly n: number }
  | { readonly kind: "f"; readonly label: number }
  | { readonly kind: "h"; readonly value: number }
  | { readonly kind: "float"; readonly value: number }
  | { readonly kind: "list"; readonly items: readonly Operand[] }
  | { readonly kind: "fr"; readonly n: number }
  | { readonly kind: "alloc"; readonly items: readonly AllocItem[] }
  | { readonly kind: "literal"; readonly index: number; readonly value: Term }
  | {
      readonly kind: "tr";
      readonly reg: Extract<Operand, { kind: "x" | "y" }>;
      readonly typeIndex: number;
      readonly type: BeamType;
    };

export type OperandKind = Operand["kind"];

export interface Instr {
  readonly op: number;
  readonly name: OpName;
  readonly args: readonly Operand[];
  /** File offset of the opcode byte. */
  readonly offset: number;
}

const TAG_NAMES = ["u", "i", "a", "x", "y", "f", "h", "z"] as const;

// Small operands are shared, immutable objects: most operands are small
// registers, labels and counts, and sharing them saves allocation.
const SHARED = 1024;
const sharedU: Operand[] = [], sharedI: Operand[] = [], sharedX: Operand[] = [], sharedY: Operand[] = [];
const sharedF: Operand[] = [];
for (let n = 0; n < SHARED; n++) {
  sharedU.push(Object.freeze({ kind: "u", value: n }));
  sharedI.push(Object.freeze({ kind: "i", value: n }));
  sharedX.push(Object.freeze({ kind: "x", n }));
  sharedY.push(Object.freeze({ kind: "y", n }));
  sharedF.push(Object.freeze({ kind: "f", label: n }));
}
const NIL_OPERAND: Operand = Object.freeze({ kind: "nil" });

/** Limits from the format: a larger count could only come from corruption. */
const MAX_LIST = 1 << 24;

/** What operand decoding needs of a module: its bytes and its tables. */
export type OperandContext = Pick<BeamFile, "bytes" | "atoms" | "literals" | "types"> & {
  readonly code: { readonly start: number; readonly end: number };
};

export class CodeReader {
  private readonly r: ByteReader;
  /** Atom operands, made once per atom index. */
  private readonly atomOperands: Operand[] = [];

  constructor(private readonly beam: OperandContext) {
    this.r = new ByteReader(beam.bytes, beam.code.start, beam.code.end, 0, "Code chunk");
  }

  /**
   * The value of a compact term whose first byte `b` has been read.
   * u/x/y/f/h/a values must be safe integers; i values may be bignums.
   */
  private value(b: number, tag: number, at: number): number | bigint {
    const r: ByteReader = this.r;
    if ((b & 0x08) === 0) return b >> 4;
    if ((b & 0x10) === 0) return ((b & 0xe0) << 3) | r.u8("operand");
    let len = (b >> 5) + 2;
    if (len === 9) {
      const lb = r.u8("operand length");
      if ((lb & 7) !== 0) r.fail(`operand length has tag ${TAG_NAMES[lb & 7]}, not u`, at);
      // A length that needs a length of its own would describe a number of
      // more than 2^64 bytes; refusing it also bounds the recursion.
      if ((lb & 0xf8) === 0xf8) r.fail("operand length is itself too long", at);
      const l = this.value(lb, 0, at);
      if (typeof l !== "number" || l > r.remaining()) return r.fail("operand length runs past the end of the code", at);
      len = l + 9;
    }
    const bytes = r.take(len, "operand");
    if (len <= 6) {
      let v = 0;
      for (let i = 0; i < len; i++) v = v * 256 + bytes[i]!;
      if (tag === 1 && bytes[0]! > 127) v -= 2 ** (8 * len);
      return v;
    }
    let v = 0n;
    for (let i = 0; i < len; i++) v = (v << 8n) | BigInt(bytes[i]!);
    if (tag === 1 && bytes[0]! > 127) v -= 1n << BigInt(8 * len);
    return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
  }

  private small(b: number, tag: number, at: number): number {
    const v = this.value(b, tag, at);
    if (typeof v !== "number") return this.r.fail(`${TAG_NAMES[tag]} operand is too large`, at);
    return v;
  }

  /** A u-tagged operand's value (inside extended operands). */
  private unsigned(what: string): number {
    const at = this.r.pos;
    const b = this.r.u8(what);
    if ((b & 7) !== 0) this.r.fail(`${what} has tag ${TAG_NAMES[b & 7]}, not u`, at);
    return this.small(b, 0, at);
  }

  /** An operand inside a list: anything but another list. */
  private listItem(): Operand {
    const b = this.r.bytes[this.r.pos];
    if (b === 0x17) this.r.fail("list operand nested in a list");
    return this.operand();
  }

  operand(): Operand {
    const r: ByteReader = this.r;
    const at = r.pos;
    const b = r.u8("operand");
    const tag = b & 7;
    switch (tag) {
      case 0: {
        const v = this.value(b, tag, at);
        // A u too large for a double (a bit size like 1 bsl 64 in bit
        // syntax) is kept as an integer operand: whatever uses it as a
        // size finds it out of range.
        if (typeof v !== "number") return { kind: "i", value: v };
        return v < SHARED ? sharedU[v]! : { kind: "u", value: v };
      }
      case 1: {
        const v = this.value(b, tag, at);
        return typeof v === "number" && v >= 0 && v < SHARED ? sharedI[v]! : { kind: "i", value: v };
      }
      case 2: {
        const v = this.small(b, tag, at);
        if (v === 0) return NIL_OPERAND;
        const cached = this.atomOperands[v];
        if (cached !== undefined) return cached;
        const a = this.beam.atoms[v - 1];
        if (a === undefined) r.fail(`atom index ${v} is out of range (1..${this.beam.atoms.length})`, at);
        return (this.atomOperands[v] = { kind: "atom", value: a });
      }
      case 3: {
        const v = this.small(b, tag, at);
        return v < SHARED ? sharedX[v]! : { kind: "x", n: v };
      }
      case 4: {
        const v = this.small(b, tag, at);
        return v < SHARED ? sharedY[v]! : { kind: "y", n: v };
      }
      case 5: {
        const v = this.small(b, tag, at);
        return v < SHARED ? sharedF[v]! : { kind: "f", label: v };
      }
      case 6:
        return { kind: "h", value: this.small(b, tag, at) };
      default:
        return this.extended(b, at);
    }
  }

  private extended(b: number, at: number): Operand {
    const r: ByteReader = this.r;
    if ((b & 0x08) !== 0) r.fail(`bad extended operand byte 0x${b.toString(16)}`, at);
    switch (b >> 4) {
      case 0: {
        const bytes = r.take(8, "float operand");
        return { kind: "float", value: new DataView(bytes.buffer, bytes.byteOffset, 8).getFloat64(0, false) };
      }
      case 1: {
        const n = this.unsigned("list length");
        if (n > MAX_LIST || n > r.remaining()) r.fail(`list of ${n} operands runs past the end of the code`, at);
        const items: Operand[] = new Array(n);
        for (let i = 0; i < n; i++) items[i] = this.listItem();
        return { kind: "list", items };
      }
      case 2:
        return { kind: "fr", n: this.unsigned("float register") };
      case 3: {
        const n = this.unsigned("allocation list length");
        if (n > r.remaining()) r.fail(`allocation list of ${n} items runs past the end of the code`, at);
        const items: AllocItem[] = [];
        for (let i = 0; i < n; i++) {
          const kat = r.pos;
          const k = this.unsigned("allocation kind");
          const kind = k === 0 ? "words" : k === 1 ? "floats" : k === 2 ? "funs" : r.fail(`allocation kind ${k}`, kat);
          items.push({ kind, n: this.unsigned("allocation size") });
        }
        return { kind: "alloc", items };
      }
      case 4: {
        const index = this.unsigned("literal index");
        const value = this.beam.literals[index];
        if (value === undefined) r.fail(`literal index ${index} is out of range (0..${this.beam.literals.length - 1})`, at);
        return { kind: "literal", index, value };
      }
      case 5: {
        const tag = (r.bytes[r.pos] ?? 0) & 7;
        if (tag !== 3 && tag !== 4) r.fail(`typed register has tag ${TAG_NAMES[tag]}, not x or y`, at);
        const reg = this.operand() as Extract<Operand, { kind: "x" | "y" }>;
        const typeIndex = this.unsigned("type index");
        const type = this.beam.types?.[typeIndex];
        if (type === undefined) r.fail(`type index ${typeIndex} is out of range`, at);
        return { kind: "tr", reg, typeIndex, type };
      }
      default:
        return r.fail(`unknown extended operand ${b >> 4}`, at);
    }
  }

  atEnd(): boolean {
    return this.r.atEnd();
  }

  instr(): Instr {
    const r: ByteReader = this.r;
    const offset = r.pos;
    const op = r.u8("opcode");
    const info = OPCODES[op];
    if (info === undefined) r.fail(`unknown opcode ${op}`, offset);
    const args: Operand[] = new Array(info.arity);
    for (let i = 0; i < info.arity; i++) args[i] = this.operand();
    return { op, name: info.name, args, offset };
  }
}

/** Decodes every instruction of the Code chunk, stopping after int_code_end. */
export function decodeCode(beam: BeamFile): Instr[] {
  const cr = new CodeReader(beam);
  const out: Instr[] = [];
  while (!cr.atEnd()) {
    const i = cr.instr();
    out.push(i);
    if (i.name === "int_code_end") break;
  }
  return out;
}
