// compiler/beam-file.ts — the .beam container and its tables.
//
// In:  the bytes of a .beam file (optionally gzip-compressed, as the code
//      loader also accepts).
// Out: a BeamFile: every chunk located, and the tables decoded — atoms
//      (AtU8/Atom), imports (ImpT), exports (ExpT), locals (LocT), lambdas
//      (FunT), literals (LitT, through the external term format), the line
//      table (Line), attributes (Attr), compile info (CInf), the type table
//      (Type), the string table (StrT) and the Code chunk's header.  The
//      instructions themselves are decoded by code.ts.
//
// Layout facts (OTP's beam_asm.erl writes these; beam_load.c reads them):
//   "FOR1" size:32 "BEAM", then chunks: id:4 size:32 data, padded to 4.
//   All integers are big-endian.

import { gunzipSync, inflateSync } from "node:zlib";
import { ByteReader, fourcc, latin1, utf8 } from "./bytes.js";
import { BeamError } from "./errors.js";
import { binaryToTerm } from "./etf.js";
import type { Term } from "./term.js";
import { decodeTypeEntry, type BeamType } from "./types.js";

export interface Chunk {
  readonly id: string;
  /** File offset of the chunk's data (after its 8-byte header). */
  readonly offset: number;
  readonly size: number;
}

export interface Mfa {
  readonly module: string;
  readonly name: string;
  readonly arity: number;
}

export interface ExportEntry {
  readonly name: string;
  readonly arity: number;
  readonly label: number;
}

export interface Lambda {
  readonly name: string;
  readonly arity: number;
  readonly label: number;
  readonly index: number;
  readonly numFree: number;
  readonly oldUniq: number;
}

export interface LineTable {
  readonly version: number;
  readonly bits: number;
  readonly numLineInstrs: number;
  /**
   * Item i (the operand of a line instruction) is line lineOf[i] of file
   * fileOf[i]; item 0 means "no location".  Typed arrays: a module has
   * thousands of items, and objects for them would cost a decode dearly.
   */
  readonly fileOf: Uint32Array;
  readonly lineOf: Uint32Array;
  /** File names; index 0 is the module's own source, which is not stored. */
  readonly files: readonly string[];
}

export interface CodeHeader {
  readonly headerSize: number;
  readonly instructionSet: number;
  readonly maxOpcode: number;
  readonly labelCount: number;
  readonly functionCount: number;
  /** File offsets of the first instruction byte and one past the last. */
  readonly start: number;
  readonly end: number;
}

export interface BeamFile {
  /** The bytes the offsets refer to (the gunzipped file if it was gzipped). */
  readonly bytes: Uint8Array;
  readonly chunks: readonly Chunk[];
  readonly module: string;
  /** atoms[i - 1] is atom number i; atom 1 is the module name. */
  readonly atoms: readonly string[];
  readonly imports: readonly Mfa[];
  readonly exports: readonly ExportEntry[];
  readonly locals: readonly ExportEntry[];
  readonly lambdas: readonly Lambda[];
  readonly literals: readonly Term[];
  readonly strings: Uint8Array;
  readonly lines: LineTable | null;
  readonly types: readonly BeamType[] | null;
  readonly attributes: Term | null;
  readonly compileInfo: Term | null;
  readonly code: CodeHeader;
}

const MAX_GUNZIP = 1 << 28;

function findChunks(bytes: Uint8Array): Chunk[] {
  const r: ByteReader = new ByteReader(bytes, 0, bytes.length, 0, "");
  r.need(12, "file header");
  if (fourcc(bytes, 0) !== "FOR1") r.fail("not a BEAM file (no FOR1 header)", 0);
  r.pos = 4;
  const formSize = r.u32("form size");
  if (fourcc(bytes, 8) !== "BEAM") r.fail("not a BEAM file (form type is not BEAM)", 8);
  if (formSize + 8 > bytes.length) r.fail(`truncated file: header says ${formSize + 8} bytes, file has ${bytes.length}`, 4);
  if (formSize < 4) r.fail(`form size ${formSize} is too small`, 4);
  const end = 8 + formSize;
  r.pos = 12;
  const chunks: Chunk[] = [];
  while (r.pos < end) {
    const at = r.pos;
    if (end - at < 8) r.fail("truncated chunk header", at);
    const id = fourcc(bytes, at);
    r.pos += 4;
    const size = r.u32("chunk size");
    if (size > end - r.pos) r.fail(`chunk ${JSON.stringify(id)} of ${size} bytes runs past the end of the file`, at);
    chunks.push({ id, offset: r.pos, size });
    r.pos += (size + 3) & ~3;
  }
  return chunks;
}

function chunkReader(bytes: Uint8Array, c: Chunk): ByteReader {
  return new ByteReader(bytes, c.offset, c.offset + c.size, 0, `${c.id} chunk`);
}

function readAtoms(bytes: Uint8Array, c: Chunk): string[] {
  const r: ByteReader = chunkReader(bytes, c);
  const count = r.i32("atom count");
  if (count < 0 || count > r.remaining()) r.fail(`bad atom count ${count}`, c.offset);
  const isUtf8 = c.id === "AtU8";
  const atoms: string[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const at = r.pos;
    const raw = r.take(r.u8("atom length"), "atom text");
    if (isUtf8) {
      const s = utf8(raw);
      if (s === null) r.fail(`atom ${i + 1} is not valid UTF-8`, at);
      atoms[i] = s;
    } else {
      atoms[i] = latin1(raw);
    }
  }
  return atoms;
}

/** An atom by 1-based index, or a BeamError at `at`. */
function atomAt(r: ByteReader, atoms: readonly string[], index: number, at: number): string {
  const a = atoms[index - 1];
  if (index < 1 || a === undefined) r.fail(`atom index ${index} is out of range (1..${atoms.length})`, at);
  return a;
}

function readCountedTable<T>(bytes: Uint8Array, c: Chunk, entryWords: number, read: (r: ByteReader, at: number) => T): T[] {
  const r: ByteReader = chunkReader(bytes, c);
  const count = r.u32("entry count");
  if (count * entryWords * 4 > r.remaining()) r.fail(`${count} entries do not fit in the chunk`, c.offset);
  const out: T[] = [];
  for (let i = 0; i < count; i++) out.push(read(r, r.pos));
  return out;
}

function readLiterals(bytes: Uint8Array, c: Chunk): Term[] {
  const r: ByteReader = chunkReader(bytes, c);
  const size = r.u32("uncompressed size");
  let table: ByteReader;
  if (size === 0) {
    table = r; // stored without compression
  } else {
    if (size > MAX_GUNZIP) r.fail(`literal table claims ${size} bytes`, c.offset);
    let inflated: Buffer;
    try {
      inflated = inflateSync(r.take(r.remaining()), { maxOutputLength: size });
    } catch {
      return r.fail("literal table does not inflate", c.offset + 4);
    }
    if (inflated.length !== size) r.fail(`literal table inflates to ${inflated.length} bytes, not ${size}`, c.offset);
    const plain = new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.length);
    table = new ByteReader(plain, 0, plain.length, 0, `LitT chunk at byte ${c.offset}, uncompressed table`);
  }
  const count = table.u32("literal count");
  if (count > table.remaining()) table.fail(`bad literal count ${count}`, table.start);
  const out: Term[] = [];
  for (let i = 0; i < count; i++) {
    const at = table.pos;
    const n = table.u32("literal size");
    const ext = table.take(n, `literal ${i}`);
    try {
      out.push(binaryToTerm(ext, 0, `literal ${i}`));
    } catch (e) {
      if (e instanceof BeamError) {
        table.fail(`literal ${i} (${n} bytes): ${e.detail} at byte ${e.offset} of the literal`, at);
      }
      throw e;
    }
  }
  return out;
}

function readLines(bytes: Uint8Array, c: Chunk): LineTable {
  const r: ByteReader = chunkReader(bytes, c);
  const version = r.u32("version");
  const bits = r.u32("flags");
  const numLineInstrs = r.u32("line instruction count");
  const numLines = r.u32("line count");
  const numFiles = r.u32("file name count");
  if (numLines > r.remaining() + 1) r.fail(`bad line count ${numLines}`, c.offset + 12);
  const fileOf = new Uint32Array(numLines + 1), lineOf = new Uint32Array(numLines + 1);
  let file = 0;
  // Items are compact terms: an a-tagged file index (only when it changes)
  // before an i-tagged line number.
  for (let n = 1; n <= numLines; ) {
    const at = r.pos;
    const b = r.u8("line item");
    const tag = b & 7;
    const v = smallCompactValue(r, b, at);
    if (tag === 2) {
      if (v > numFiles) r.fail(`file index ${v} is out of range (0..${numFiles})`, at);
      file = v;
    } else if (tag === 1) {
      fileOf[n] = file;
      lineOf[n++] = v;
    } else {
      r.fail(`line item with tag ${tag}`, at);
    }
  }
  const files: string[] = [""];
  for (let i = 0; i < numFiles; i++) {
    const at = r.pos;
    const s = utf8(r.take(r.u16("file name length"), "file name"));
    if (s === null) r.fail("file name is not valid UTF-8", at);
    files.push(s);
  }
  return { version, bits, numLineInstrs, fileOf, lineOf, files };
}

/** The value of a compact-encoded non-negative integer (line table form). */
function smallCompactValue(r: ByteReader, b: number, at: number): number {
  if ((b & 0x08) === 0) return b >> 4;
  if ((b & 0x10) === 0) return ((b & 0xe0) << 3) | r.u8("operand byte");
  const len = (b >> 5) + 2;
  if (len > 6) r.fail("line table value too large", at);
  let v = 0;
  for (let i = 0; i < len; i++) v = v * 256 + r.u8("operand byte");
  return v;
}

function readTypes(bytes: Uint8Array, c: Chunk): BeamType[] {
  const r: ByteReader = chunkReader(bytes, c);
  const version = r.u32("version");
  if (version !== 1) r.fail(`unsupported type table version ${version}`, c.offset);
  const count = r.u32("type count");
  if (count * 18 !== r.remaining()) r.fail(`${count} types do not match the chunk's ${r.remaining()} bytes`, c.offset + 4);
  const out: BeamType[] = [];
  for (let i = 0; i < count; i++) {
    out.push(decodeTypeEntry(r.take(18)));
  }
  return out;
}

function readCodeHeader(bytes: Uint8Array, c: Chunk): CodeHeader {
  const r: ByteReader = chunkReader(bytes, c);
  const headerSize = r.u32("header size");
  if (headerSize < 16 || headerSize > c.size - 4) r.fail(`bad code header size ${headerSize}`, c.offset);
  const instructionSet = r.u32("instruction set");
  const maxOpcode = r.u32("highest opcode");
  const labelCount = r.u32("label count");
  const functionCount = r.u32("function count");
  if (instructionSet !== 0) r.fail(`unknown instruction set ${instructionSet}`, c.offset + 4);
  return {
    headerSize, instructionSet, maxOpcode, labelCount, functionCount,
    start: c.offset + 4 + headerSize, end: c.offset + c.size,
  };
}

function termChunk(bytes: Uint8Array, c: Chunk): Term {
  return binaryToTerm(bytes.subarray(c.offset, c.offset + c.size), c.offset, `${c.id} chunk`);
}

/** Reads a whole .beam file.  Throws BeamError (with the file name) on bad input. */
export function readBeam(input: Uint8Array, file?: string): BeamFile {
  try {
    return readBeamBytes(input);
  } catch (e) {
    if (e instanceof BeamError) {
      e.file ??= file;
    }
    throw e;
  }
}

function readBeamBytes(input: Uint8Array): BeamFile {
  // A plain view: subarrays of a Node Buffer are Buffers, slower to make.
  let bytes = new Uint8Array(input.buffer, input.byteOffset, input.length);
  if (input.length >= 2 && input[0] === 0x1f && input[1] === 0x8b) {
    try {
      const out = gunzipSync(input, { maxOutputLength: MAX_GUNZIP });
      bytes = new Uint8Array(out.buffer, out.byteOffset, out.length);
    } catch {
      throw new BeamError(0, "gzip-compressed file does not decompress");
    }
  }
  const chunks = findChunks(bytes);
  const byId = new Map<string, Chunk>();
  for (const c of chunks) if (!byId.has(c.id)) byId.set(c.id, c);
  const need = (id: string): Chunk => {
    const c = byId.get(id);
    if (!c) throw new BeamError(12, `missing ${id} chunk`);
    return c;
  };

  const atomChunk = byId.get("AtU8") ?? byId.get("Atom");
  if (!atomChunk) throw new BeamError(12, "missing atom chunk (AtU8 or Atom)");
  const atoms = readAtoms(bytes, atomChunk);
  if (atoms.length === 0) throw new BeamError(atomChunk.offset, "atom table is empty (no module name)");

  const mfaTable = (c: Chunk): Mfa[] =>
    readCountedTable(bytes, c, 3, (r, at) => ({
      module: atomAt(r, atoms, r.u32(), at),
      name: atomAt(r, atoms, r.u32(), at + 4),
      arity: r.u32(),
    }));
  const exportTable = (c: Chunk): ExportEntry[] =>
    readCountedTable(bytes, c, 3, (r, at) => ({ name: atomAt(r, atoms, r.u32(), at), arity: r.u32(), label: r.u32() }));

  const funT = byId.get("FunT");
  const lambdas = funT
    ? readCountedTable(bytes, funT, 6, (r, at) => ({
        name: atomAt(r, atoms, r.u32(), at), arity: r.u32(), label: r.u32(),
        index: r.u32(), numFree: r.u32(), oldUniq: r.u32(),
      }))
    : [];

  const litT = byId.get("LitT");
  const lineC = byId.get("Line");
  const typeC = byId.get("Type");
  const attrC = byId.get("Attr");
  const cinfC = byId.get("CInf");
  const strT = byId.get("StrT");
  return {
    bytes,
    chunks,
    module: atoms[0]!,
    atoms,
    imports: mfaTable(need("ImpT")),
    exports: exportTable(need("ExpT")),
    locals: byId.has("LocT") ? exportTable(byId.get("LocT")!) : [],
    lambdas,
    literals: litT ? readLiterals(bytes, litT) : [],
    strings: strT ? bytes.subarray(strT.offset, strT.offset + strT.size) : new Uint8Array(0),
    lines: lineC ? readLines(bytes, lineC) : null,
    types: typeC ? readTypes(bytes, typeC) : null,
    attributes: attrC ? termChunk(bytes, attrC) : null,
    compileInfo: cinfC ? termChunk(bytes, cinfC) : null,
    code: readCodeHeader(bytes, need("Code")),
  };
}

