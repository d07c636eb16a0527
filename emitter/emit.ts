// emitter/emit.ts — NASM for one module, one emit function per specialized instruction.
//
// In:  a decoded module (compiler/index.ts), its specialized instructions
//      (compiler/lower.ts) and the image's Linkage (atoms, call targets).
// Out: the module's assembly text.  Every instruction is preceded by a
//      comment naming the BEAM instruction it came from.
//
// Conventions (docs/abi.md): esp is the Erlang stack, so y(n) is
// [esp + 4n] inside a frame; x(n) is [xb_xregs + 4n]; esi is the heap top
// and ebp the process.  Fast paths are inline; slow paths call a shared
// runtime fragment through CALLA, which pads so that the return address is
// 4-byte aligned (the GC tells return addresses from terms by that).

import type { DecodedModule } from "../compiler/index.js";
import type { Operand } from "../compiler/code.js";
import { kindOf, LowerError, lowerInstr, type SpecInstr } from "../compiler/lower.js";
import { splitFunctions } from "../compiler/disasm-erlang.js";
import { writeTerm } from "../compiler/write-term.js";
import { compareTerms, ErlBitstring, ErlFloat, ErlList, NIL as NIL_TERM, type Term } from "../compiler/term.js";
import { atomTerm, FREGS_SYMBOL, header, HEADER, MAX_FREGS, NIL, NON_VALUE, SMALL_SHIFT, smallTerm, TAG, type GenericOp } from "./abi.js";
import { functionSymbol, labelSymbol, mangle, mfaSymbol } from "./names.js";
import { TermData, UnsupportedTermError } from "./term-data.js";

export interface Linkage {
  /** The atom's index in the image's atom table. */
  atom(name: string): number;
  /** The symbol a call to M:F/A jumps to, or null when nothing defines it. */
  callTarget(m: string, f: string, a: number): string | null;
  /** The fragment for a guard BIF called by bif/gc_bif, or null. */
  guardBif(name: string, arity: number): string | null;
  /** The image-wide index of a module's lambda (FunT entry), for xb_fun_table. */
  funIndex(module: string, lambda: number): number;
  /** The image-wide index of a catch handler (a label symbol), for xb_catch_table. */
  catchIndex(symbol: string): number;
  /** A runtime function that replaces M:F/A entirely (BEAM's C versions of NIF stubs), or null. */
  override(m: string, f: string, a: number): string | null;
  /** Is M:F/A a BIF (the runtime's, in assembly or in Erlang)? */
  isBif(m: string, f: string, a: number): boolean;
  /** Are the module's frames left out of stack traces (the runtime's own Erlang)? */
  hidden(module: string): boolean;
}

export class EmitError extends Error {}

const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;
/** runtime-erl/xbeam_stack.erl: stack traces from the raw ones errors.asm records. */
const STACK_BUILD = functionSymbol("xbeam_stack", "build", 1);
const STACK_CATCH_VALUE = functionSymbol("xbeam_stack", "catch_value", 3);
const X = (n: number) => `[xb_xregs + ${4 * n}]`;
const Y = (n: number) => `[esp + ${4 * n}]`;

class ModuleEmitter {
  readonly text: string[] = [];
  readonly cold: string[] = [];
  readonly data: TermData;
  /** Labels other objects refer to (catch handlers, via xb_catch_table). */
  readonly globals = new Set<string>();
  private readonly mfas = new Map<string, string>();
  private readonly undefStubs = new Map<string, string>();
  private n = 0;
  /** The instruction being emitted. */
  cur!: SpecInstr;

  /** Entry label -> the runtime function that replaces the function. */
  readonly overrides = new Map<number, string>();

  /** Entry label -> the function's arity. */
  readonly arities = new Map<number, number>();

  /** For a call_fun fused with the `deallocate D | return` after it: D. */
  tailDeallocate: number | null = null;

  /** Call sites (docs/abi.md, "Stack traces"): the function record and the
   *  line word that the CALLS macros put in the xb_sites table. */
  fnRecord = "0";
  lineWord = 0;
  readonly fnRecords: string[] = [];
  /** `dd` lines for the xb_fns section: every function record of the module. */
  readonly fnTable: string[] = [];
  private readonly raiseStubs = new Map<string, string>();
  constructor(readonly mod: DecodedModule, readonly link: Linkage, readonly entries: Map<number, string>) {
    this.data = new TermData(`K.${mangle(mod.beam.module)}`, (a) => link.atom(a));
  }

  get module(): string {
    return this.mod.beam.module;
  }

  fresh(): string {
    return `${labelSymbol(this.module, 0)}.t${this.n++}`;
  }

  emit(...lines: string[]): void {
    for (const l of lines) this.text.push(l.endsWith(":") ? l : `  ${l}`);
  }

  fail(msg: string): never {
    throw new EmitError(`${this.module}: ${this.cur.from.name} at byte ${this.cur.from.offset}: ${msg}`);
  }

  label(o: Operand | undefined): string {
    if (o?.kind !== "f") this.fail("expected a label");
    return labelSymbol(this.module, o.label);
  }

  /** A source operand as a NASM operand: memory, or an immediate expression. */
  src(o: Operand | undefined): string {
    if (o === undefined) this.fail("missing operand");
    switch (o.kind) {
      case "x": return X(o.n);
      case "y": return Y(o.n);
      case "nil": return hex(NIL);
      case "atom": return hex(atomTerm(this.link.atom(o.value)));
      case "i": return this.data.word(o.value);
      case "h": return hex(smallTerm(o.value));
      case "literal": return this.literal(o.index, o.value);
      case "float": return this.data.word(new ErlFloat(o.value));
      case "tr": return this.src(o.reg); // a typed register inside a list operand
      default: return this.fail(`${o.kind} is not a source operand`);
    }
  }

  private readonly literals = new Map<number, string>();

  /** A literal's word: each of the module's literals is laid out once, so
   *  two uses of it are the same object (erts_debug:same/2), as in BEAM. */
  literal(index: number, value: Term): string {
    let w = this.literals.get(index);
    if (w === undefined) {
      w = this.data.word(value);
      this.literals.set(index, w);
    }
    return w;
  }

  isMem(o: Operand): boolean {
    return o.kind === "x" || o.kind === "y" || o.kind === "tr";
  }

  dst(o: Operand | undefined): string {
    if (o?.kind === "tr") o = o.reg;
    if (o?.kind === "x") return X(o.n);
    if (o?.kind === "y") return Y(o.n);
    return this.fail("expected a register");
  }

  items(o: Operand | undefined): readonly Operand[] {
    if (o?.kind !== "list") this.fail("expected an operand list");
    return o.items;
  }

  u(o: Operand | undefined): number {
    if (o?.kind !== "u") this.fail("expected an unsigned operand");
    return o.value;
  }

  /** Heap words an allocation operand stands for (floats take 3 words, funs a fixed size). */
  heapWords(o: Operand | undefined): number {
    if (o?.kind === "u") return o.value;
    if (o?.kind === "alloc") {
      return o.items.reduce((n, i) => n + (i.kind === "words" ? i.n : i.kind === "floats" ? 3 * i.n : 8 * i.n), 0);
    }
    return this.fail("expected a heap size");
  }

  load(reg: string, o: Operand | undefined): void {
    this.emit(`mov ${reg}, ${this.src(o)}`);
  }

  store(o: Operand | undefined, reg: string): void {
    this.emit(`mov ${this.dst(o)}, ${reg}`);
  }

  mfa(m: string, f: string, a: number): string {
    const sym = mfaSymbol(m, f, a);
    if (!this.mfas.has(sym)) {
      this.mfas.set(sym, `${sym}: dd ${hex(atomTerm(this.link.atom(m)))}, ${hex(atomTerm(this.link.atom(f)))}, ${a}`);
    }
    return sym;
  }

  /** Where a call to an imported function goes: its code, or a stub raising undef. */
  importTarget(index: number): string {
    const mfa = this.mod.beam.imports[index];
    if (mfa === undefined) this.fail(`import ${index} out of range`);
    const t = this.link.callTarget(mfa.module, mfa.name, mfa.arity);
    if (t !== null) return t;
    const key = `${mfa.module}:${mfa.name}/${mfa.arity}`;
    let stub = this.undefStubs.get(key);
    if (!stub) {
      stub = `U.${mangle(this.module)}.${this.undefStubs.size}`;
      this.undefStubs.set(key, stub);
      this.cold.push(`${stub}: ; ${key} is not in the image`, `  mov eax, ${this.mfa(mfa.module, mfa.name, mfa.arity)}`, "  jmp xb_undef");
    }
    return stub;
  }

  /** Jumps to the fail label, or to a stub that calls the fragment that
   *  raises `frag` when there is none (a call: the site gives the trace
   *  its function and line). */
  failTarget(o: Operand | undefined, frag: string): string {
    return o?.kind === "f" && o.label !== 0 ? this.label(o) : this.raiseStub(frag);
  }

  /** A cold stub calling `frag`, one per fragment, function and line. */
  raiseStub(frag: string): string {
    const key = `${frag} ${this.fnRecord} ${this.lineWord}`;
    let stub = this.raiseStubs.get(key);
    if (!stub) {
      stub = this.fresh();
      this.raiseStubs.set(key, stub);
      this.cold.push(`${stub}:`, `  CALLA ${frag}`);
    }
    return stub;
  }

  /** The line word of a line instruction's item: file index << 24 | line (0: none). */
  lineOf(item: number): number {
    const t = this.mod.beam.lines;
    if (!t || item <= 0 || item >= t.lineOf.length) return 0;
    // As in BEAM: a line beyond 24 bits is no location.
    if (t.lineOf[item]! > 0xffffff || t.fileOf[item]! > 0xff) return 0;
    return ((t.fileOf[item]! << 24) | t.lineOf[item]!) >>> 0;
  }

  /** Read-only data of the module's own (bit-syntax descriptors, strings). */
  readonly rodataLines: string[] = [];

  rodata(): string[] {
    return [...this.mfas.values(), ...this.rodataLines];
  }
}

type Emit = (e: ModuleEmitter, a: readonly Operand[]) => void;

// ---------------------------------------------------------------------------
// Type tests: each jumps to the fail label when the test is false.

function testTag(e: ModuleEmitter, a: readonly Operand[], mask: number, tag: number): void {
  e.load("eax", a[1]);
  e.emit(`and eax, ${hex(mask)}`, `cmp eax, ${hex(tag)}`, `jne ${e.label(a[0])}`);
}

/** Jumps to `fail` unless eax is boxed with a header whose subtag (under mask) is `subtag`. */
function testBoxed(e: ModuleEmitter, fail: string, mask: number, subtag: number): void {
  e.emit("mov ecx, eax", `and ecx, ${TAG.PRIMARY_MASK}`, `cmp ecx, ${TAG.BOXED}`, `jne ${fail}`);
  e.emit(`mov ecx, [eax - ${TAG.BOXED}]`, `and ecx, ${hex(mask)}`, `cmp ecx, ${hex(subtag)}`, `jne ${fail}`);
}

/** A type test on the header of a boxed term: tuple, float, binary, map ... */
function boxedType(subtag: number): Emit {
  return (e, a) => {
    e.load("eax", a[1]);
    testBoxed(e, e.label(a[0]), HEADER.SUBTAG_MASK, subtag);
  };
}

/** ecx = (eax & edx & 0xF): both small integers iff ecx == TAG.SMALL. */
function bothSmall(e: ModuleEmitter, notSmall: string): void {
  e.emit("mov ecx, eax", "and ecx, edx", `and ecx, ${TAG.IMMED1_MASK}`, `cmp ecx, ${TAG.SMALL}`, `jne ${notSmall}`);
}

/** is_function / is_function2: a fun (closure) of any or the given arity. */
function isFunction(e: ModuleEmitter, failOp: Operand | undefined, fun: Operand | undefined, arity: Operand | null): void {
  const fail = e.label(failOp);
  e.load("eax", fun);
  // A fun or an export (fun M:F/A): the two subtags differ in one bit.
  testBoxed(e, fail, HEADER.SUBTAG_MASK & ~(HEADER.FUN ^ HEADER.EXPORT), HEADER.FUN);
  if (arity === null) return;
  e.load("edx", arity);
  e.emit(`cmp edx, [eax - ${TAG.BOXED} + 8]`, `jne ${fail}`);
}

/** is_lt / is_ge: compare small integers inline, anything else in term order. */
function ordered(jumpIfFalse: "jge" | "jl"): Emit {
  return (e, a) => {
    const fail = e.label(a[0]), slow = e.fresh(), done = e.fresh();
    e.load("eax", a[1]);
    e.load("edx", a[2]);
    bothSmall(e, slow);
    e.emit("cmp eax, edx", `${jumpIfFalse} ${fail}`, `jmp ${done}`, `${slow}:`);
    e.emit("CALLA xb_compare", "test eax, eax", `${jumpIfFalse} ${fail}`, `${done}:`);
  };
}

/** is_eq_exact / is_ne_exact through the shared fragment (ZF = equal). */
function exact(jumpIfFalse: "jne" | "je"): Emit {
  return (e, a) => {
    e.load("eax", a[1]);
    e.load("edx", a[2]);
    e.emit("CALLA xb_eq_exact", `${jumpIfFalse} ${e.label(a[0])}`);
  };
}

/** is_eq / is_ne: arithmetic equality, in term order. */
function equal(jumpIfFalse: "jne" | "je"): Emit {
  return (e, a) => {
    e.load("eax", a[1]);
    e.load("edx", a[2]);
    e.emit("CALLA xb_compare", "test eax, eax", `${jumpIfFalse} ${e.label(a[0])}`);
  };
}

function exactImm(jumpIfFalse: "jne" | "je"): Emit {
  return (e, a) => {
    const imm = e.src(a[2]);
    if (e.isMem(a[1]!)) {
      e.emit(`cmp dword ${e.src(a[1])}, ${imm}`, `${jumpIfFalse} ${e.label(a[0])}`);
    } else {
      e.load("eax", a[1]);
      e.emit(`cmp eax, ${imm}`, `${jumpIfFalse} ${e.label(a[0])}`);
    }
  };
}

// ---------------------------------------------------------------------------
// Arithmetic: small integers inline, the rest in a fragment that returns
// NON_VALUE on failure (a guard jumps to its fail label, a body raises).

const INLINE_ARITH: Record<string, (e: ModuleEmitter, slow: string) => void> = {
  "+": (e, slow) => e.emit(`lea ecx, [eax - ${TAG.SMALL}]`, "add ecx, edx", `jo ${slow}`),
  "-": (e, slow) => e.emit("mov ecx, eax", "sub ecx, edx", `jo ${slow}`, `add ecx, ${TAG.SMALL}`),
  "*": (e, slow) => e.emit("mov ecx, eax", "sar ecx, 4", "mov ebx, edx", `sub ebx, ${TAG.SMALL}`, "imul ecx, ebx", `jo ${slow}`, `add ecx, ${TAG.SMALL}`),
};

/** Is the operand a small integer known at compile time? */
function immediateSmall(o: Operand | undefined): boolean {
  return o?.kind === "i" && typeof o.value === "number" && o.value >= -(2 ** 27) && o.value < 2 ** 27;
}

function bifCall(e: ModuleEmitter, fail: Operand | undefined, live: number, name: string, args: readonly Operand[], dst: Operand | undefined): void {
  const frag = e.link.guardBif(name, args.length);
  if (frag === null) e.fail(`the BIF erlang:${name}/${args.length} is not supported yet`);
  if (args[2]) e.emit(`mov eax, ${e.src(args[2])}`, "mov [xb_bif_arg3], eax"); // a third argument: in memory
  e.load("eax", args[0]);
  if (args[1]) e.load("edx", args[1]);
  const inline = args.length === 2 ? INLINE_ARITH[name] : undefined;
  const done = e.fresh();
  if (inline) {
    const slow = e.fresh();
    // gc_bif2_imm (a small constant second operand): only the first needs a tag test.
    if (e.cur.spec === "gc_bif2_imm" && immediateSmall(args[1])) {
      e.emit("mov ecx, eax", `and ecx, ${TAG.IMMED1_MASK}`, `cmp ecx, ${TAG.SMALL}`, `jne ${slow}`);
    } else {
      bothSmall(e, slow);
    }
    inline(e, slow);
    e.emit("mov eax, ecx", `jmp ${done}`, `${slow}:`);
  }
  const failTo = fail?.kind === "f" && fail.label !== 0 ? e.label(fail) : frameless(name, args) ? e.raiseStub("xb_raise_pending") : bifFailStub(e, name, args);
  e.emit(`mov ecx, ${live}`, `CALLA ${frag}`, `test eax, eax`, `jz ${failTo}`, `${done}:`);
  e.store(dst, "eax");
}

/** BEAM's trace has no frame for + and - of a constant small (its JIT
 *  inlines them) nor for unary +, and one for every other guard BIF
 *  failing in a body. */
function frameless(name: string, args: readonly Operand[]): boolean {
  return (name === "+" || name === "-") && (args.length === 1 ? name === "+" : immediateSmall(args[1]));
}

/** The call of a fun's code (edx), or the tail call when fused with a return. */
function callFunCode(e: ModuleEmitter): string[] {
  return e.tailDeallocate === null ? ["CALLRD edx"] : [`add esp, ${4 * e.tailDeallocate}`, "jmp edx"];
}

/** A guard BIF failed in a body: a cold stub that puts its arguments in
 *  xb_bif_args and calls xb_bif_fail, whose trace starts with
 *  {erlang, Name, Args, [{error_info, ...}]} as BEAM's does. */
function bifFailStub(e: ModuleEmitter, name: string, args: readonly Operand[]): string {
  const stub = e.fresh();
  e.cold.push(`${stub}:`);
  args.forEach((o, k) => {
    e.cold.push(e.isMem(o) ? `  mov eax, ${e.src(o)}\n  mov [xb_bif_args + ${4 * k}], eax` : `  mov dword [xb_bif_args + ${4 * k}], ${e.src(o)}`);
  });
  e.cold.push(`  mov eax, ${e.mfa("erlang", name, args.length)}`, "  CALLA xb_bif_fail");
  return stub;
}

/** BIFs that raise by design: their trace starts at the caller, no BIF frame. */
const RAISING_BIFS = new Set(["erlang:error/1", "erlang:error/2", "erlang:error/3", "erlang:exit/1", "erlang:throw/1",
  "erlang:raise/3", "erlang:nif_error/1", "erlang:nif_error/2"]);
/** BIFs that go on into Erlang code: a tail call to them stays a jump. */
const CONTINUING_BIFS = new Set(["erlang:apply/2", "erlang:apply/3", "erlang:hibernate/3"]);

/** call_ext: a BIF's call site names the BIF (CALLB), for its trace frame. */
function callExt(e: ModuleEmitter, index: number): string {
  const target = e.importTarget(index);
  const mfa = e.mod.beam.imports[index]!;
  const key = `${mfa.module}:${mfa.name}/${mfa.arity}`;
  if (!e.link.isBif(mfa.module, mfa.name, mfa.arity) || RAISING_BIFS.has(key)) return `CALLA ${target}`;
  if (CONTINUING_BIFS.has(key)) return `CALLB ${target}, 1`; // dynamic: what apply called
  return `CALLB ${target}, ${e.mfa(mfa.module, mfa.name, mfa.arity)}`;
}

/** The call for a tail call to a BIF, or null (a jump, as any tail call). */
function bifTail(e: ModuleEmitter, index: number): string | null {
  const mfa = e.mod.beam.imports[index]!;
  if (!e.link.isBif(mfa.module, mfa.name, mfa.arity) || CONTINUING_BIFS.has(`${mfa.module}:${mfa.name}/${mfa.arity}`)) return null;
  return callExt(e, index);
}

function bifName(e: ModuleEmitter, o: Operand | undefined): string {
  const mfa = o?.kind === "u" ? e.mod.beam.imports[o.value] : undefined;
  if (!mfa) return e.fail("bad BIF import");
  if (mfa.module !== "erlang") e.fail(`BIF ${mfa.module}:${mfa.name} is not in module erlang`);
  return mfa.name;
}

// ---------------------------------------------------------------------------
// Floats.  {fr,N} is the double at FREGS + 8N (runtime-asm/float.asm); a
// float term is {header(2, FLOAT), the double}.  SSE2 scalar arithmetic
// rounds once, as BEAM's C; a result that is infinite or NaN goes to the
// fail label, or raises badarith, as in BEAM.

/** The float register operand as a memory operand. */
function fr(e: ModuleEmitter, o: Operand | undefined): string {
  if (o?.kind !== "fr") return e.fail("expected a float register");
  if (o.n >= MAX_FREGS) return e.fail(`float register ${o.n}: the runtime has ${MAX_FREGS}`);
  return `qword [${FREGS_SYMBOL} + ${8 * o.n}]`;
}

/** Jumps away when xmm0 is infinite or NaN: its exponent field all ones. */
function floatCheck(e: ModuleEmitter, fail: Operand | undefined): void {
  e.emit("pextrw eax, xmm0, 3", "and eax, 0x7ff0", "cmp eax, 0x7ff0", `je ${e.failTarget(fail, "xb_badarith")}`);
}

/** fadd/fsub/fmul/fdiv Fail, A, B, Dst. */
const floatArith = (op: string): Emit => (e, a) => {
  e.emit(`movsd xmm0, ${fr(e, a[1])}`, `${op} xmm0, ${fr(e, a[2])}`);
  floatCheck(e, a[0]);
  e.emit(`movsd ${fr(e, a[3])}, xmm0`);
};

const FLOAT_EMITTERS: Record<string, Emit> = {
  fmove_lr: (e, a) => {
    const o = a[0];
    const t = o?.kind === "float" ? new ErlFloat(o.value) : o?.kind === "literal" ? o.value : undefined;
    if (!(t instanceof ErlFloat)) return e.fail("fmove of a constant that is not a float");
    e.emit(`movsd xmm0, qword [${e.data.word(t)} - ${TAG.BOXED} + 4]`, `movsd ${fr(e, a[1])}, xmm0`);
  },
  fmove_dr: (e, a) => {
    e.load("eax", a[0]);
    e.emit(`movsd xmm0, qword [eax - ${TAG.BOXED} + 4]`, `movsd ${fr(e, a[1])}, xmm0`);
  },
  fmove_rd: (e, a) => {
    e.emit(`movsd xmm0, ${fr(e, a[0])}`, `mov dword [esi], ${hex(header(2, HEADER.FLOAT))}`, "movsd [esi + 4], xmm0",
      `lea eax, [esi + ${TAG.BOXED}]`, "add esi, 12");
    e.store(a[1], "eax");
  },
  fmove_rr: (e, a) => e.emit(`movsd xmm0, ${fr(e, a[0])}`, `movsd ${fr(e, a[1])}, xmm0`),
  // A small converts inline; a bignum, a float or a non-number (badarith) in float.asm.
  fconv: (e, a) => {
    const slow = e.fresh(), done = e.fresh();
    e.load("eax", a[0]);
    e.emit("mov ecx, eax", `and ecx, ${TAG.IMMED1_MASK}`, `cmp ecx, ${TAG.SMALL}`, `jne ${slow}`,
      `sar eax, ${SMALL_SHIFT}`, "cvtsi2sd xmm0, eax", `${done}:`, `movsd ${fr(e, a[1])}, xmm0`);
    e.cold.push(`${slow}:`, "  CALLA xb_fconv", `  jmp ${done}`);
  },
  fadd: floatArith("addsd"),
  fsub: floatArith("subsd"),
  fmul: floatArith("mulsd"),
  fdiv: floatArith("divsd"),
  // 0.0 - X, as BEAM computes it: fnegate of 0.0 is 0.0 (erlang:'-'/1
  // flips the sign instead).  Nothing can overflow.
  fnegate: (e, a) => e.emit("xorpd xmm0, xmm0", `subsd xmm0, ${fr(e, a[1])}`, `movsd ${fr(e, a[2])}, xmm0`),
  fclearerror: () => {},
  fcheckerror: () => {},
};

// ---------------------------------------------------------------------------

const EMITTERS: Record<string, Emit> = {
  label: (e, a) => {
    const l = e.u(a[0]);
    const fn = e.entries.get(l);
    if (fn) e.emit(`global ${fn}`, `${fn}:`);
    e.emit(`${labelSymbol(e.module, l)}:`);
    const replaced = fn ? e.overrides.get(l) : undefined;
    if (replaced) {
      e.emit(`jmp ${replaced} ; implemented by the runtime, as in BEAM`);
    } else if (fn) {
      // Count a reduction on every function entry; out of them, let others run.
      const go = e.fresh();
      e.emit(`dec dword [ebp + P_FCALLS]`, `jg ${go}`, `mov ecx, ${e.arities.get(l) ?? 0} ; live: the arguments`, "CALLA xb_yield", `${go}:`);
    }
  },
  line: (e, a) => {
    e.lineWord = e.lineOf(e.u(a[0]));
    e.emit(`%xdefine XB_LINE ${hex(e.lineWord)}`);
  },
  int_code_end: () => {},
  func_info: (e, a) => {
    const m = a[0], f = a[1];
    if (m?.kind !== "atom" || f?.kind !== "atom") return e.fail("bad func_info");
    e.emit(`mov eax, ${e.mfa(m.value, f.value, e.u(a[2]))}`, "CALLA xb_function_clause");
  },

  move_cx: (e, a) => e.emit(`mov dword ${e.dst(a[1])}, ${e.src(a[0])}`),
  move_cy: (e, a) => e.emit(`mov dword ${e.dst(a[1])}, ${e.src(a[0])}`),
  move: (e, a) => {
    e.load("eax", a[0]);
    e.store(a[1], "eax");
  },
  swap: (e, a) => {
    e.load("eax", a[0]);
    e.load("edx", a[1]);
    e.store(a[0], "edx");
    e.store(a[1], "eax");
  },
  init_yregs: (e, a) => {
    for (const y of e.items(a[0])) e.emit(`mov dword ${e.dst(y)}, ${hex(NIL)}`);
  },

  allocate: (e, a) => allocate(e, e.u(a[0]), false),
  allocate_zero: (e, a) => allocate(e, e.u(a[0]), true),
  allocate_heap: (e, a) => {
    allocate(e, e.u(a[0]), false);
    testHeap(e, e.heapWords(a[1]), e.u(a[2]));
  },
  allocate_heap_zero: (e, a) => {
    allocate(e, e.u(a[0]), true);
    testHeap(e, e.heapWords(a[1]), e.u(a[2]));
  },
  deallocate: (e, a) => e.emit(`add esp, ${4 * e.u(a[0])}`),
  trim: (e, a) => e.emit(`add esp, ${4 * e.u(a[0])}`),
  test_heap: (e, a) => testHeap(e, e.heapWords(a[0]), e.u(a[1])),
  return: (e) => e.emit("ret"),

  call: (e, a) => e.emit(`CALLA ${e.label(a[1])}`),
  call_last: (e, a) => e.emit(`add esp, ${4 * e.u(a[2])}`, `jmp ${e.label(a[1])}`),
  call_only: (e, a) => e.emit(`jmp ${e.label(a[1])}`),
  call_ext: (e, a) => e.emit(callExt(e, e.u(a[1]))),
  // A tail call to a BIF stays a call: BEAM's trace shows the calling
  // function (with its line) under the BIF.
  call_ext_last: (e, a) => {
    const bif = bifTail(e, e.u(a[1]));
    if (bif) e.emit(bif, `add esp, ${4 * e.u(a[2])}`, "ret");
    else e.emit(`add esp, ${4 * e.u(a[2])}`, `jmp ${e.importTarget(e.u(a[1]))}`);
  },
  call_ext_only: (e, a) => {
    const bif = bifTail(e, e.u(a[1]));
    if (bif) e.emit(bif, "ret");
    else e.emit(`jmp ${e.importTarget(e.u(a[1]))}`);
  },
  jump: (e, a) => e.emit(`jmp ${e.label(a[0])}`),
  apply: (e, a) => e.emit(`mov ecx, ${e.u(a[0])}`, "CALLA xb_apply", "CALLRD edx"),
  apply_last: (e, a) => e.emit(`mov ecx, ${e.u(a[0])}`, "CALLA xb_apply", `add esp, ${4 * e.u(a[1])}`, "jmp edx"),

  is_eq_exact_imm: exactImm("jne"),
  is_ne_exact_imm: exactImm("je"),
  is_eq_exact: exact("jne"),
  is_ne_exact: exact("je"),
  is_eq: equal("jne"),
  is_ne: equal("je"),
  is_lt: ordered("jge"),
  is_ge: ordered("jl"),
  is_integer: (e, a) => {
    const ok = e.fresh();
    e.load("eax", a[1]);
    e.emit("mov ecx, eax", `and ecx, ${TAG.IMMED1_MASK}`, `cmp ecx, ${TAG.SMALL}`, `je ${ok}`);
    // Bignums: subtag POS_BIG or NEG_BIG (they differ in one bit).
    testBoxed(e, e.label(a[0]), HEADER.SUBTAG_MASK & ~(HEADER.POS_BIG ^ HEADER.NEG_BIG), HEADER.POS_BIG);
    e.emit(`${ok}:`);
  },
  is_atom: (e, a) => testTag(e, a, TAG.IMMED2_MASK, TAG.ATOM),
  is_pid: (e, a) => testTag(e, a, TAG.IMMED1_MASK, TAG.PID),
  is_port: (e, a) => testTag(e, a, TAG.IMMED1_MASK, TAG.PORT),
  is_float: boxedType(HEADER.FLOAT),
  is_number: (e, a) => {
    const ok = e.fresh(), fail = e.label(a[0]);
    e.load("eax", a[1]);
    e.emit("mov ecx, eax", `and ecx, ${TAG.IMMED1_MASK}`, `cmp ecx, ${TAG.SMALL}`, `je ${ok}`);
    e.emit("mov ecx, eax", `and ecx, ${TAG.PRIMARY_MASK}`, `cmp ecx, ${TAG.BOXED}`, `jne ${fail}`);
    // Bignums (0x08, 0x0c) and floats (0x18) share the subtag bits 001x00 / 011000.
    e.emit(`mov ecx, [eax - ${TAG.BOXED}]`, `and ecx, ${hex(HEADER.SUBTAG_MASK)}`, `cmp ecx, ${hex(HEADER.FLOAT)}`, `je ${ok}`);
    e.emit(`and ecx, ${hex(HEADER.SUBTAG_MASK & ~(HEADER.POS_BIG ^ HEADER.NEG_BIG))}`, `cmp ecx, ${hex(HEADER.POS_BIG)}`, `jne ${fail}`, `${ok}:`);
  },
  is_function: (e, a) => isFunction(e, a[0], a[1], null),
  is_function2: (e, a) => isFunction(e, a[0], a[1], a[2]!),
  // Binaries: heap (HEAP_BIN, 0x24) or reference-counted (REFC_BIN, 0x20),
  // which differ in bit 2 only; bitstrings of a size in bits (HEAP_BITS,
  // REFC_BITS) have bit 3 too.
  is_binary: (e, a) => {
    e.load("eax", a[1]);
    testBoxed(e, e.label(a[0]), HEADER.SUBTAG_MASK & ~(HEADER.HEAP_BIN ^ HEADER.REFC_BIN), HEADER.REFC_BIN);
  },
  is_bitstr: (e, a) => {
    e.load("eax", a[1]);
    testBoxed(e, e.label(a[0]), HEADER.SUBTAG_MASK & ~(HEADER.HEAP_BITS ^ HEADER.REFC_BIN), HEADER.REFC_BIN);
  },
  is_map: boxedType(HEADER.MAP),
  is_reference: boxedType(HEADER.REF),
  is_nil: (e, a) => {
    if (!e.isMem(a[1]!)) e.load("eax", a[1]); // a constant: compare it from a register
    e.emit(`cmp dword ${e.isMem(a[1]!) ? e.src(a[1]) : "eax"}, ${hex(NIL)}`, `jne ${e.label(a[0])}`);
  },
  is_nonempty_list: (e, a) => testTag(e, a, TAG.PRIMARY_MASK, TAG.LIST),
  is_list: (e, a) => {
    const ok = e.fresh();
    e.load("eax", a[1]);
    e.emit(`cmp eax, ${hex(NIL)}`, `je ${ok}`, `and eax, ${TAG.PRIMARY_MASK}`, `cmp eax, ${TAG.LIST}`, `jne ${e.label(a[0])}`, `${ok}:`);
  },
  is_tuple: boxedType(HEADER.ARITYVAL),
  test_arity: (e, a) => {
    e.load("eax", a[1]);
    e.emit(`cmp dword [eax - ${TAG.BOXED}], ${hex(header(e.u(a[2]), HEADER.ARITYVAL))}`, `jne ${e.label(a[0])}`);
  },
  is_tagged_tuple: (e, a) => {
    const fail = e.label(a[0]);
    e.load("eax", a[1]);
    e.emit("mov ecx, eax", `and ecx, ${TAG.PRIMARY_MASK}`, `cmp ecx, ${TAG.BOXED}`, `jne ${fail}`);
    e.emit(`cmp dword [eax - ${TAG.BOXED}], ${hex(header(e.u(a[2]), HEADER.ARITYVAL))}`, `jne ${fail}`);
    e.emit(`cmp dword [eax - ${TAG.BOXED} + 4], ${e.src(a[3])}`, `jne ${fail}`);
  },
  is_boolean: (e, a) => {
    const ok = e.fresh();
    e.load("eax", a[1]);
    e.emit(`cmp eax, ${hex(atomTerm(e.link.atom("true")))}`, `je ${ok}`);
    e.emit(`cmp eax, ${hex(atomTerm(e.link.atom("false")))}`, `jne ${e.label(a[0])}`, `${ok}:`);
  },
  select_val: (e, a) => {
    e.load("eax", a[0]);
    const items = e.items(a[2]);
    for (let i = 0; i < items.length; i += 2) {
      const v = items[i]!;
      if (kindOf(v) === "l") {
        // A boxed constant (a bignum): compare the terms, not the words.
        e.emit(`mov edx, ${e.src(v)}`, "CALLA xb_eq_exact", `je ${e.label(items[i + 1])}`);
      } else {
        e.emit(`cmp eax, ${e.src(v)}`, `je ${e.label(items[i + 1])}`);
      }
    }
    e.emit(`jmp ${e.label(a[1])}`);
  },
  select_tuple_arity: (e, a) => {
    e.load("eax", a[0]);
    e.emit(`mov eax, [eax - ${TAG.BOXED}]`);
    const items = e.items(a[2]);
    for (let i = 0; i < items.length; i += 2) {
      e.emit(`cmp eax, ${hex(header(e.u(items[i]), HEADER.ARITYVAL))}`, `je ${e.label(items[i + 1])}`);
    }
    e.emit(`jmp ${e.label(a[1])}`);
  },

  get_list: (e, a) => {
    e.load("eax", a[0]);
    e.emit(`mov edx, [eax - ${TAG.LIST}]`, `mov ecx, [eax - ${TAG.LIST} + 4]`);
    e.store(a[1], "edx");
    e.store(a[2], "ecx");
  },
  get_hd: (e, a) => {
    e.load("eax", a[0]);
    e.emit(`mov eax, [eax - ${TAG.LIST}]`);
    e.store(a[1], "eax");
  },
  get_tl: (e, a) => {
    e.load("eax", a[0]);
    e.emit(`mov eax, [eax - ${TAG.LIST} + 4]`);
    e.store(a[1], "eax");
  },
  put_list: (e, a) => {
    e.load("eax", a[0]);
    e.emit("mov [esi], eax");
    e.load("eax", a[1]);
    e.emit("mov [esi + 4], eax", `lea eax, [esi + ${TAG.LIST}]`, "add esi, 8");
    e.store(a[2], "eax");
  },
  put_tuple2: (e, a) => {
    const items = e.items(a[1]);
    e.emit(`mov dword [esi], ${hex(header(items.length, HEADER.ARITYVAL))}`);
    items.forEach((o, k) => {
      if (e.isMem(o)) e.emit(`mov eax, ${e.src(o)}`, `mov [esi + ${4 * (k + 1)}], eax`);
      else e.emit(`mov dword [esi + ${4 * (k + 1)}], ${e.src(o)}`);
    });
    e.emit(`lea eax, [esi + ${TAG.BOXED}]`, `add esi, ${4 * (items.length + 1)}`);
    e.store(a[0], "eax");
  },
  get_tuple_element: (e, a) => {
    e.load("eax", a[0]);
    e.emit(`mov eax, [eax - ${TAG.BOXED} + ${4 * (e.u(a[1]) + 1)}]`);
    e.store(a[2], "eax");
  },

  set_tuple_element: (e, a) => {
    // Only on a tuple this function just built (setelement/3 of a fresh copy).
    e.load("eax", a[1]);
    e.load("edx", a[0]);
    e.emit(`mov [eax - ${TAG.BOXED} + ${4 * (e.u(a[2]) + 1)}], edx`);
  },
  bif0: (e, a) => {
    const name = bifName(e, a[0]);
    if (name === "self") e.emit(`mov eax, [ebp + P_ID]`);
    else if (name === "node") e.emit(`mov eax, ${hex(atomTerm(e.link.atom("nonode@nohost")))}`);
    else e.fail(`the BIF erlang:${name}/0 is not supported yet`);
    e.store(a[1], "eax");
  },
  gc_bif1: (e, a) => bifCall(e, a[0], e.u(a[1]), bifName(e, a[2]), [a[3]!], a[4]),
  gc_bif2: (e, a) => bifCall(e, a[0], e.u(a[1]), bifName(e, a[2]), [a[3]!, a[4]!], a[5]),
  gc_bif2_imm: (e, a) => bifCall(e, a[0], e.u(a[1]), bifName(e, a[2]), [a[3]!, a[4]!], a[5]),
  gc_bif3: (e, a) => bifCall(e, a[0], e.u(a[1]), bifName(e, a[2]), [a[3]!, a[4]!, a[5]!], a[6]),
  bif1: (e, a) => bifCall(e, a[0], 0, bifName(e, a[1]), [a[2]!], a[3]),
  bif2: (e, a) => bifCall(e, a[0], 0, bifName(e, a[1]), [a[2]!, a[3]!], a[4]),

  try: (e, a) => tryCatch(e, a),
  catch: (e, a) => tryCatch(e, a),
  try_end: (e, a) => e.emit(`mov dword ${e.dst(a[0])}, ${hex(NIL)}`, `dec dword [ebp + P_CATCHES]`),
  try_case: (e, a) => {
    // Caught: x1..x3 hold class, reason and stacktrace; the clauses want x0..x2.
    e.emit(`mov dword ${e.dst(a[0])}, ${hex(NIL)}`, `dec dword [ebp + P_CATCHES]`);
    for (let k = 0; k < 3; k++) e.emit(`mov eax, ${X(k + 1)}`, `mov ${X(k)}, eax`);
  },
  // Caught (x0 = NON_VALUE): the catch's value from class, reason and the
  // raw stacktrace in x1..x3 (xbeam_stack:catch_value/3); only x0 is live after.
  catch_end: (e, a) => {
    const caught = e.fresh(), done = e.fresh();
    e.emit(`mov dword ${e.dst(a[0])}, ${hex(NIL)}`, `dec dword [ebp + P_CATCHES]`, `cmp dword ${X(0)}, ${hex(NON_VALUE)}`, `je ${caught}`, `${done}:`);
    e.cold.push(`${caught}:`, ...[0, 1, 2].map((k) => `  mov eax, ${X(k + 1)}\n  mov ${X(k)}, eax`), `  CALLA ${STACK_CATCH_VALUE}`, `  jmp ${done}`);
  },
  try_case_end: (e, a) => {
    e.load("eax", a[0]);
    e.emit("CALLA xb_try_clause");
  },
  raw_raise: (e) => e.emit("CALLA xb_raw_raise"),
  raise: (e, a) => {
    e.load("eax", a[0]);
    e.load("edx", a[1]);
    e.emit("CALLA xb_reraise");
  },
  // x0: the raw stacktrace -> the list (runtime-erl/xbeam_stack.erl); x
  // registers are dead after it, as after a call.
  build_stacktrace: (e) => e.emit(`CALLA ${STACK_BUILD}`),

  make_fun3: (e, a) => {
    const index = e.u(a[0]);
    const lambda = e.mod.beam.lambdas[index];
    if (!lambda) return e.fail(`lambda ${index} is not in FunT`);
    const env = e.items(a[2]);
    // {fun header, index in xb_fun_table, arity, creator pid, free
    // variables...}: every word a term, so the collector scans a fun like a
    // tuple.  The heap space was reserved by the test_heap before (a fun's
    // count in it exceeds these 4 words).
    e.emit(`mov dword [esi], ${hex(header(3 + env.length, HEADER.FUN))}`);
    e.emit(`mov dword [esi + 4], ${hex(smallTerm(e.link.funIndex(e.module, index)))}`);
    e.emit(`mov dword [esi + 8], ${hex(smallTerm(lambda.arity - lambda.numFree))}`);
    e.emit("mov eax, [ebp + P_ID]", "mov [esi + 12], eax");
    env.forEach((o, k) => {
      if (e.isMem(o)) e.emit(`mov eax, ${e.src(o)}`, `mov [esi + ${16 + 4 * k}], eax`);
      else e.emit(`mov dword [esi + ${16 + 4 * k}], ${e.src(o)}`);
    });
    e.emit(`lea eax, [esi + ${TAG.BOXED}]`, `add esi, ${4 * (4 + env.length)}`);
    e.store(a[1], "eax");
  },
  call_fun: (e, a) => {
    const arity = e.u(a[0]);
    e.emit(`mov eax, ${X(arity)}`, `mov ecx, ${arity}`, "CALLA xb_fun_entry", ...callFunCode(e));
  },
  call_fun2: (e, a) => {
    e.load("eax", a[2]);
    e.emit(`mov ecx, ${e.u(a[1])}`, "CALLA xb_fun_entry", ...callFunCode(e));
  },

  // Bit syntax: runtime-asm/bits.asm.
  bs_start_match3: (e, a) => startMatch(e, a[0], e.u(a[2]), a[1], a[3]),
  bs_start_match4: (e, a) => startMatch(e, a[0], e.u(a[1]), a[2], a[3]),
  bs_get_position: (e, a) => {
    e.load("eax", a[0]);
    e.emit("call xb_bs_get_position");
    e.store(a[1], "eax");
  },
  bs_set_position: (e, a) => {
    e.load("eax", a[0]);
    e.load("edx", a[1]);
    e.emit("call xb_bs_set_position");
  },
  bs_get_tail: (e, a) => {
    const live = e.u(a[2]);
    e.load("eax", a[0]);
    e.emit(`mov ${X(live)}, eax`, `mov ecx, ${live}`, "CALLA xb_bs_get_tail");
    e.store(a[1], "eax");
  },
  bs_test_tail2: (e, a) => {
    if (a[2]?.kind !== "u") {
      e.emit(`jmp ${e.label(a[0])}`); // more bits than any binary has
      return;
    }
    e.load("eax", a[1]);
    e.emit(`mov edx, ${e.u(a[2])}`, "call xb_bs_test_tail", "test eax, eax", `jz ${e.label(a[0])}`);
  },
  bs_test_unit: (e, a) => {
    e.load("eax", a[1]);
    e.emit(`mov edx, ${e.u(a[2])}`, "call xb_bs_test_unit", "test eax, eax", `jz ${e.label(a[0])}`);
  },
  bs_skip_bits2: (e, a) => {
    if (!bitSize(e, "edx", a[2])) return void e.emit(`jmp ${e.label(a[0])}`);
    e.load("eax", a[1]);
    e.emit(`mov ebx, ${unitFlags(e, a[3], a[4])}`, "call xb_bs_skip_bits", "test eax, eax", `jz ${e.label(a[0])}`);
  },
  bs_get_integer2: (e, a) => bsGet(e, a, "xb_bs_get_integer"),
  bs_get_binary2: (e, a) => bsGet(e, a, "xb_bs_get_binary"),
  bs_get_float2: (e, a) => bsGet(e, a, "xb_bs_get_float"),
  bs_get_utf8: (e, a) => bsUtf(e, a, 8, a[4]),
  bs_get_utf16: (e, a) => bsUtf(e, a, 16, a[4]),
  bs_get_utf32: (e, a) => bsUtf(e, a, 32, a[4]),
  bs_skip_utf8: (e, a) => bsUtf(e, a, 8, undefined),
  bs_skip_utf16: (e, a) => bsUtf(e, a, 16, undefined),
  bs_skip_utf32: (e, a) => bsUtf(e, a, 32, undefined),
  bs_match_string: (e, a) => {
    const bits = e.u(a[2]), offset = e.u(a[3]);
    const bytes = e.mod.beam.strings.subarray(offset, offset + Math.ceil(bits / 8));
    const label = e.fresh();
    e.rodataLines.push(`${label}: db ${bytes.length ? Array.from(bytes).join(",") : "0"}`);
    e.load("eax", a[1]);
    e.emit(`mov ecx, ${bits}`, `mov edx, ${label}`, "call xb_bs_match_string", "test eax, eax", `jz ${e.label(a[0])}`);
  },
  // bs_init_writable: x0 (a size hint) becomes an empty binary that
  // bs_create_bin's append segments then copy from.
  bs_init_writable: (e) => e.emit(`mov dword ${X(0)}, ${e.data.word(new ErlBitstring(new Uint8Array(0), 0))}`),
  bs_create_bin: (e, a) => bsCreate(e, a),

  // Maps (runtime-asm/maps.asm).
  get_map_elements: (e, a) => mapLookup(e, a, true),
  has_map_fields: (e, a) => mapLookup(e, a, false),
  put_map_assoc: (e, a) => mapPut(e, a, 0),
  put_map_exact: (e, a) => mapPut(e, a, 1),

  // Receive.  The queue is a list in the process struct (runtime-asm/process.asm):
  // P_MSG_SAVE is the cell before the message to look at, or [] for the first.
  send: (e) => e.emit("CALLA xb_send"),
  loop_rec: (e, a) => {
    const first = e.fresh(), got = e.fresh();
    e.emit(`mov eax, [ebp + P_MSG_SAVE]`, `cmp eax, ${hex(NIL)}`, `je ${first}`, `mov eax, [eax - ${TAG.LIST} + 4]`, `jmp ${got}`,
      `${first}:`, `mov eax, [ebp + P_MSG_FIRST]`, `${got}:`, `cmp eax, ${hex(NIL)}`, `je ${e.label(a[0])}`, `mov eax, [eax - ${TAG.LIST}]`);
    e.store(a[1], "eax");
  },
  loop_rec_end: (e, a) => {
    const first = e.fresh(), got = e.fresh();
    e.emit(`mov eax, [ebp + P_MSG_SAVE]`, `cmp eax, ${hex(NIL)}`, `je ${first}`, `mov eax, [eax - ${TAG.LIST} + 4]`, `jmp ${got}`,
      `${first}:`, `mov eax, [ebp + P_MSG_FIRST]`, `${got}:`, `mov [ebp + P_MSG_SAVE], eax`, `jmp ${e.label(a[0])}`);
  },
  remove_message: (e) => e.emit("call xb_remove_message"),
  wait: (e, a) => e.emit("CALLA xb_wait", `jmp ${e.label(a[0])}`),
  wait_timeout: (e, a) => {
    e.load("eax", a[1]);
    e.emit("CALLA xb_wait_timeout", "test eax, eax", `jnz ${e.label(a[0])}`);
  },
  timeout: (e) => e.emit("call xb_timeout"),
  // One receive marker per process (runtime-asm/process.asm): where the
  // queue ended when a reference was made, so that a receive matching
  // that reference skips the older messages.
  recv_marker_reserve: (e, a) => {
    e.emit("call xb_recv_mark");
    e.store(a[0], "eax");
  },
  recv_marker_bind: (e, a) => {
    e.load("eax", a[1]);
    e.emit("mov [ebp + P_MARK_REF], eax");
  },
  recv_marker_clear: (e) => e.emit(`mov dword [ebp + P_MARK_REF], ${hex(NIL)}`),
  recv_marker_use: (e, a) => {
    e.load("edx", a[0]);
    e.emit("call xb_recv_use");
  },

  badmatch: (e, a) => {
    e.load("eax", a[0]);
    e.emit("CALLA xb_badmatch");
  },
  case_end: (e, a) => {
    e.load("eax", a[0]);
    e.emit("CALLA xb_case_end");
  },
  badrecord: (e, a) => {
    e.load("eax", a[0]);
    e.emit("CALLA xb_badrecord");
  },
  if_end: (e) => e.emit("CALLA xb_if_end"),
  ...FLOAT_EMITTERS,
};

/** try/catch Y, Handler: the catch tag goes in Y; the handler's index is image-wide. */
function tryCatch(e: ModuleEmitter, a: readonly Operand[]): void {
  const handler = e.label(a[1]);
  e.globals.add(handler);
  const tag = ((e.link.catchIndex(handler) << 6) | TAG.CATCH) >>> 0;
  e.emit(`mov dword ${e.dst(a[0])}, ${hex(tag)}`, `inc dword [ebp + P_CATCHES]`);
}

// ---------------------------------------------------------------------------
// Bit syntax.  A fragment that may allocate finds the context (or the
// source) in x(live), where the collector keeps it; sizes go in edx as
// terms, unit and flags packed in ebx (unit | flags << 8).

/** bs_start_match3/4: a match context from a bitstring (or the context
 *  itself), else the fail label (for no_fail / resume: a badmatch). */
function startMatch(e: ModuleEmitter, fail: Operand | undefined, live: number, src: Operand | undefined, dst: Operand | undefined): void {
  e.load("eax", src);
  e.emit(`mov ${X(live)}, eax`, `mov ecx, ${live}`, "CALLA xb_bs_start", "test eax, eax");
  if (fail?.kind === "f") e.emit(`jz ${e.label(fail)}`);
  else {
    const ok = e.fresh();
    e.emit(`jnz ${ok}`, `mov eax, ${X(live)}`, "CALLA xb_badmatch", `${ok}:`);
  }
  e.store(dst, "eax");
}

/** unit | flags << 8, for ebx. */
function unitFlags(e: ModuleEmitter, unit: Operand | undefined, flags: Operand | undefined): string {
  const u = e.u(unit);
  if (u > 255) e.fail(`unit ${u} is too large`);
  return hex(u | (e.u(flags) << 8));
}

/** A segment size into reg: a register, a small, or the atom all.  False
 *  when it is a constant no binary can have (a bignum, a negative number). */
function bitSize(e: ModuleEmitter, reg: string, size: Operand | undefined): boolean {
  // (A 32-bit BEAM takes sizes up to 2^32 - 1: above 2^27 they are bignums.)
  if (size?.kind === "i" && (typeof size.value !== "number" || size.value < 0 || size.value >= 2 ** 32)) return false;
  if (size?.kind === "u") {
    if (size.value >= 2 ** 32) return false;
    if (size.value >= 2 ** 27) e.load(reg, { kind: "i", value: size.value });
    else e.emit(`mov ${reg}, ${hex(smallTerm(size.value))}`);
    return true;
  }
  e.load(reg, size);
  return true;
}

/** bs_get_integer2 / bs_get_binary2 / bs_get_float2 Fail Ctx Live Size Unit Flags Dst. */
function bsGet(e: ModuleEmitter, a: readonly Operand[], frag: string): void {
  if (frag === "xb_bs_get_integer" && bsGetSmallInline(e, a)) return;
  const live = e.u(a[2]);
  if (!bitSize(e, "edx", a[3])) return void e.emit(`jmp ${e.label(a[0])}`);
  e.load("eax", a[1]);
  e.emit(`mov ${X(live)}, eax`, `mov ecx, ${live}`, `mov ebx, ${unitFlags(e, a[4], a[5])}`, `CALLA ${frag}`, "test eax, eax", `jz ${e.label(a[0])}`);
  e.store(a[6], "eax");
}

/** The fast path of bs_get_integer2 for a constant size of 1 to 25 bits,
 *  big-endian (or little-endian 16 or 24 bits), signed or not: the value
 *  always is a small integer, and one 4-byte load at the field's first
 *  byte holds it whatever its bit offset (runtime-asm/bits.asm's read_bits
 *  also reads past a field: heap and image words follow a binary).
 *  Inline: no call, no collection.  False (nothing emitted) otherwise. */
function bsGetSmallInline(e: ModuleEmitter, a: readonly Operand[]): boolean {
  const size = a[3], flags = e.u(a[5]);
  if ((size?.kind !== "u" && size?.kind !== "i") || typeof size.value !== "number") return false;
  const n = size.value * e.u(a[4]);
  const little = (flags & (2 | 16)) !== 0, signed = (flags & 4) !== 0;
  if (n < 1 || n > 25 || (little && n !== 16 && n !== 24) || (flags & ~(2 | 4 | 16)) !== 0) return false;
  const ctx = `eax - ${TAG.BOXED}`;
  e.load("eax", a[1]);
  e.emit(
    `mov edx, [${ctx} + 12]           ; the match context's end and offset (bits * 4 + 3)`,
    `mov ebx, [${ctx} + 8]`,
    "sub edx, ebx",
    `cmp edx, ${4 * n}`,
    `jb ${e.label(a[0])}`,
    `add dword [${ctx} + 8], ${4 * n}`,
    "shr ebx, 2                      ; the field's bit offset",
    `mov edi, [${ctx} + 4]            ; the binary`,
    `BYTES_ADDR eax, edi - ${TAG.BOXED}      ; its bytes: a heap binary's or a ProcBin's (macros.inc)`,
    "mov ecx, ebx",
    "shr ebx, 3",
    "mov eax, [eax + ebx]",
    "bswap eax",
    "and ecx, 7",
    "shl eax, cl                     ; the field's first bit at bit 31",
  );
  if (little) {
    e.emit(`shr eax, ${32 - n}`, n === 16 ? "xchg al, ah                     ; little-endian" : "bswap eax                       ; little-endian",
      ...(n === 24 ? ["shr eax, 8"] : []));
    if (signed) e.emit(`shl eax, ${32 - n}`, `sar eax, ${32 - n}`);
  } else {
    e.emit(`${signed ? "sar" : "shr"} eax, ${32 - n}`);
  }
  e.emit("shl eax, SMALL_SHIFT", "or eax, TAG_SMALL");
  e.store(a[6], "eax");
  return true;
}

/** bs_get_utf8/16/32 (dst given) and bs_skip_utf8/16/32. */
function bsUtf(e: ModuleEmitter, a: readonly Operand[], width: number, dst: Operand | undefined): void {
  e.load("eax", a[1]);
  e.emit(`mov ebx, ${hex(width | (e.u(a[3]) << 8))}`, "call xb_bs_get_utf", "test eax, eax", `jz ${e.label(a[0])}`);
  if (dst) e.store(dst, "eax");
}

const SEGMENT_TYPES: Record<string, number> = {
  integer: 1, binary: 2, float: 3, utf8: 4, utf16: 5, utf32: 6, string: 7, append: 8, private_append: 9,
};

/** The field flags of a bs_create_bin segment ([] or a list of atoms). */
function segmentFlags(o: Operand | undefined): number {
  const t = o?.kind === "literal" ? o.value : o?.kind === "nil" ? NIL_TERM : undefined;
  const names = t instanceof ErlList ? t.items.map(String) : [];
  return (names.includes("little") ? 2 : 0) | (names.includes("signed") ? 4 : 0) | (names.includes("native") ? 16 : 0);
}

/** bs_create_bin Fail Alloc Live Unit Dst [Type, Seg, Unit, Flags, Src, Size]...:
 *  values and sizes go to x(live + 2k) and x(live + 2k + 1); each segment's
 *  type, unit and flags (and a string's bytes) are a static descriptor,
 *  followed by a table of the segments' numbers. */
function bsCreate(e: ModuleEmitter, a: readonly Operand[]): void {
  const live = e.u(a[2]);
  const ops = e.items(a[5]).map((o) => (o.kind === "tr" ? o.reg : o));
  const n = ops.length / 6;
  const desc = e.fresh();
  const rows: string[] = [];
  const segs: number[] = [];
  for (let k = 0; k < n; k++) {
    const [type, seg, unit, flags, src, size] = ops.slice(6 * k, 6 * k + 6);
    segs.push(seg?.kind === "i" || seg?.kind === "u" ? Number(seg.value) : k + 1);
    const kind = type?.kind === "atom" ? SEGMENT_TYPES[type.value] : undefined;
    if (kind === undefined) e.fail(`segment type ${type?.kind === "atom" ? type.value : type?.kind ?? "?"}`);
    const unitN = unit?.kind === "i" || unit?.kind === "u" ? Number(unit.value) : 1;
    if (kind === SEGMENT_TYPES.string) {
      const offset = Number((src as { value: number }).value), len = Number((size as { value: number }).value);
      const str = e.fresh();
      const bytes = e.mod.beam.strings.subarray(offset, offset + len);
      e.rodataLines.push(`${str}: db ${bytes.length ? Array.from(bytes).join(",") : "0"}`);
      rows.push(`dd ${kind}, ${unitN}, 0, ${str}, ${len}`);
      e.emit(`mov dword ${X(live + 2 * k)}, ${hex(NIL)}`, `mov dword ${X(live + 2 * k + 1)}, ${hex(NIL)}`);
      continue;
    }
    rows.push(`dd ${kind}, ${unitN}, ${segmentFlags(flags)}, 0, 0`);
    for (const [o, x] of [[src, live + 2 * k], [size, live + 2 * k + 1]] as const) {
      if (o === undefined) e.fail("a segment without its operands");
      if (e.isMem(o)) e.emit(`mov eax, ${e.src(o)}`, `mov ${X(x)}, eax`);
      else if (o.kind === "u") e.emit(`mov dword ${X(x)}, ${hex(smallTerm(o.value))}`);
      else e.emit(`mov dword ${X(x)}, ${e.src(o)}`);
    }
  }
  // After the descriptors, each segment's number in the source (for the
  // cause of an error: runtime-asm/bits.asm, xb_bs_segments).
  e.rodataLines.push("align 4", `${desc}:`, ...rows.map((r) => `  ${r}`),
    ...(segs.length ? [`  dd ${segs.join(", ")}`] : []));
  // Alloc: heap words the code after it counts on (BEAM folds their test in).
  e.emit(`mov dword [xb_bs_alloc], ${e.heapWords(a[1])}`);
  e.emit(`mov ecx, ${live}`, `mov edx, ${n}`, `mov ebx, ${desc}`, "CALLA xb_bs_create", "test eax, eax");
  e.emit(`jz ${e.failTarget(a[0], "xb_bs_fail")}`);
  e.store(a[4], "eax");
}

/** The term an operand stands for when it is a constant, else undefined. */
function constantTerm(o: Operand): Term | undefined {
  switch (o.kind) {
    case "atom": return o.value;
    case "i": return o.value;
    case "nil": return NIL_TERM;
    case "literal": return o.value;
    default: return undefined;
  }
}

/** get_map_elements (store the values) and has_map_fields (only test). */
function mapLookup(e: ModuleEmitter, a: readonly Operand[], store: boolean): void {
  const items = e.items(a[2]);
  const step = store ? 2 : 1;
  e.load("eax", a[1]);
  e.emit("mov [xb_map_src], eax"); // read once: a destination may be the source
  for (let i = 0; i < items.length; i += step) {
    e.emit("mov eax, [xb_map_src]");
    e.load("edx", items[i]);
    e.emit("call xb_map_get", "test eax, eax", `jz ${e.label(a[0])}`);
    if (store) e.store(items[i + 1], "eax");
  }
}

/** put_map_assoc / put_map_exact: the map and the pairs go to x(Live)...,
 *  where the collector keeps them, and the runtime builds the new map. */
function mapPut(e: ModuleEmitter, a: readonly Operand[], exact: number): void {
  const live = e.u(a[3]);
  let items = e.items(a[4]);
  // Constant keys go in key order: the runtime then appends each pair
  // after one comparison instead of searching for its place.
  const pairs: [Operand, Operand][] = [];
  for (let k = 0; k < items.length; k += 2) pairs.push([items[k]!, items[k + 1]!]);
  const keys = pairs.map(([k]) => constantTerm(k));
  let sorted = 0;
  if (keys.every((k) => k !== undefined)) {
    const order = pairs.map((_, k) => k).sort((x, y) => compareTerms(keys[x]!, keys[y]!, true));
    items = order.flatMap((k) => pairs[k]!);
    // Distinct: then the runtime need not look for duplicates among them.
    if (order.every((k, n) => n === 0 || compareTerms(keys[order[n - 1]!]!, keys[k]!, true) !== 0)) sorted = 2;
  }
  e.load("eax", a[1]);
  e.emit(`mov ${X(live)}, eax`);
  items.forEach((o, k) => {
    e.load("eax", o);
    e.emit(`mov ${X(live + 1 + k)}, eax`);
  });
  e.emit(`mov ecx, ${live}`, `mov edx, ${items.length / 2}`, `mov ebx, ${exact | sorted} ; exact 1, sorted 2`, "CALLA xb_map_put");
  e.store(a[2], "eax");
}

/** Frames up to this many bytes may go below P_STACK_LIMIT before the
 *  check: the red zone under the limit (runtime-asm/process.asm) holds them. */
const FRAME_IN_RED_ZONE = 128;

function allocate(e: ModuleEmitter, n: number, zero: boolean): void {
  // Below the limit: grow the stack (a copy; nothing points into it).
  const grow = e.fresh(), back = e.fresh();
  if (4 * n <= FRAME_IN_RED_ZONE) {
    e.emit(`sub esp, ${4 * n}`, `cmp esp, [ebp + P_STACK_LIMIT]`, `jb ${grow}`, `${back}:`);
    e.cold.push(`${grow}:`, "  CALLA xb_stack_grow", `  jmp ${back}`);
  } else {
    // A big frame: make room before moving esp.
    e.emit(`lea eax, [esp - ${4 * n}]`, `cmp eax, [ebp + P_STACK_LIMIT]`, `jb ${grow}`, `${back}:`, `sub esp, ${4 * n}`);
    e.cold.push(`${grow}:`, `  mov eax, ${4 * n}`, "  CALLA xb_stack_grow_by", `  jmp ${back}`);
  }
  if (zero) for (let i = 0; i < n; i++) e.emit(`mov dword ${Y(i)}, ${hex(NIL)}`);
}

function testHeap(e: ModuleEmitter, words: number, live: number): void {
  if (words === 0) return;
  const ok = e.fresh();
  e.emit(`lea eax, [esi + ${4 * words}]`, `cmp eax, [ebp + P_HEND]`, `jbe ${ok}`);
  e.emit(`mov eax, ${words}`, `mov ecx, ${live}`, "CALLA xb_gc", `${ok}:`);
}

// ---------------------------------------------------------------------------
// The generic mode: `CALLA xb_generic` and a record (runtime-asm/generic.asm).

/** An operand as the two words {kind, value} of a generic record. */
function genericOperand(e: ModuleEmitter, o: Operand | undefined): string {
  switch (o?.kind) {
    case "x": return `GOPK_X, ${o.n}`;
    case "y": return `GOPK_Y, ${o.n}`;
    case "u": return `GOPK_UNSIGNED, ${o.value}`;
    case "f": return `GOPK_CONST, ${o.label === 0 ? "0" : e.label(o)}`;
    default: return `GOPK_CONST, ${e.src(o)}`;
  }
}

function genericRecord(e: ModuleEmitter, op: GenericOp, words: string[]): void {
  e.emit("CALLA xb_generic", `dd GOP_${op.toUpperCase()}${words.map((w) => `, ${w}`).join("")}`);
}

/** The same operands in the same order as the specialized form. */
const genericPlain = (op: GenericOp): Emit => (e, a) => genericRecord(e, op, a.map((o) => genericOperand(e, o)));

const genericBif = (fail: number, live: number | null, name: number, first: number, n: number): Emit => (e, a) => {
  const bif = bifName(e, a[name]);
  const frag = e.link.guardBif(bif, n);
  if (frag === null) e.fail(`the BIF erlang:${bif}/${n} is not supported yet`);
  const args = a.slice(first, first + n);
  genericRecord(e, "bif", [
    genericOperand(e, a[fail]), `GOPK_UNSIGNED, ${live === null ? 0 : e.u(a[live])}`, `GOPK_CONST, ${frag}`,
    `GOPK_CONST, ${frameless(bif, args) ? "0" : e.mfa("erlang", bif, n)}`,
    `GOPK_UNSIGNED, ${n}`, ...args.map((o) => genericOperand(e, o)), genericOperand(e, a[first + n]),
  ]);
};

const GENERIC_EMITTERS: Record<string, Emit> = {
  move: genericPlain("move"), move_cx: genericPlain("move"), move_cy: genericPlain("move"),
  get_list: genericPlain("get_list"), get_hd: genericPlain("get_hd"), get_tl: genericPlain("get_tl"),
  put_list: genericPlain("put_list"), get_tuple_element: genericPlain("get_tuple_element"),
  put_tuple2: (e, a) => {
    const items = e.items(a[1]);
    genericRecord(e, "put_tuple2", [genericOperand(e, a[0]), `GOPK_UNSIGNED, ${items.length}`, ...items.map((o) => genericOperand(e, o))]);
  },
  test_heap: (e, a) => genericRecord(e, "test_heap", [`GOPK_UNSIGNED, ${e.heapWords(a[0])}`, `GOPK_UNSIGNED, ${e.u(a[1])}`]),
  gc_bif1: genericBif(0, 1, 2, 3, 1), gc_bif2: genericBif(0, 1, 2, 3, 2), gc_bif2_imm: genericBif(0, 1, 2, 3, 2),
  bif1: genericBif(0, null, 1, 2, 1), bif2: genericBif(0, null, 1, 2, 2),
  is_eq_exact: genericPlain("is_eq_exact"), is_eq_exact_imm: genericPlain("is_eq_exact"),
  is_ne_exact: genericPlain("is_ne_exact"), is_ne_exact_imm: genericPlain("is_ne_exact"),
  is_lt: genericPlain("is_lt"), is_ge: genericPlain("is_ge"), is_eq: genericPlain("is_eq"), is_ne: genericPlain("is_ne"),
  is_nil: genericPlain("is_nil"), is_nonempty_list: genericPlain("is_nonempty_list"), is_list: genericPlain("is_list"),
  is_atom: genericPlain("is_atom"), is_integer: genericPlain("is_integer"), is_tuple: genericPlain("is_tuple"),
  test_arity: genericPlain("test_arity"),
};

/** Runtime symbols every module declares (the fixed extern lines below). */
const FIXED_EXTERNS = new Set([
  "xb_xregs", "xb_gc", "xb_yield", "xb_compare", "xb_eq_exact", "xb_stack_grow", "xb_function_clause", "xb_undef",
  "xb_badmatch", "xb_case_end", "xb_if_end", "xb_badrecord", "xb_raise_pending", "xb_fun_entry",
  "xb_try_clause", "xb_raw_raise", "xb_reraise", "xb_apply", "xb_raise_pair", "xb_generic",
]);

/** The operands of an instruction, for the comment above its code. */
function comment(i: SpecInstr): string {
  const ops = i.from.args.map((o) => {
    switch (o.kind) {
      case "x": case "y": return `${o.kind}${o.n}`;
      case "f": return `L${o.label}`;
      case "u": case "i": case "h": return String(o.value);
      case "atom": return writeTerm(o.value);
      case "nil": return "[]";
      case "literal": return `#${o.index}`;
      case "tr": return `${o.reg.kind}${o.reg.n}`;
      case "fr": return `fr${o.n}`;
      case "float": return String(o.value);
      case "list": return `[${o.items.length}]`;
      default: return o.kind;
    }
  });
  return `; ${i.from.name} ${ops.join(", ")}`.replace(/\n/g, " ").slice(0, 160);
}

export interface EmitOptions {
  /** Emit data instructions as calls to the one generic routine (for comparison). */
  readonly generic?: boolean;
  /** Only these functions ("F/A"); default: all of them. */
  readonly functions?: ReadonlySet<string>;
}

export interface EmittedModule {
  readonly asm: string;
  /** Instructions compiled to a trap, by name: xbeam cannot compile them yet. */
  readonly unsupported: ReadonlyMap<string, number>;
}

/**
 * The module's assembly text.  An instruction xbeam cannot compile yet
 * becomes a trap that raises error:{xbeam_unsupported, Name} when reached,
 * so that a module runs as far as its supported code goes; the caller is
 * told which ones (and says so).
 */
/** A runtime module's `-xbeam_shown_as([{F, Arity, {M2, F2, Arity2}}, ...])`:
 *  the functions whose records (running traces, current_function) name
 *  M2:F2/Arity2 instead, as "F/Arity" -> [M2, F2, Arity2]. */
function shownAs(attributes: Term | null): Map<string, Term[]> {
  const out = new Map<string, Term[]>();
  const attrs = attributes instanceof ErlList ? attributes.items : [];
  for (const a of attrs) {
    if (!Array.isArray(a) || a[0] !== "xbeam_shown_as" || !(a[1] instanceof ErlList)) continue;
    for (const x of a[1].items) {
      if (Array.isArray(x) && x.length === 3 && Array.isArray(x[2]) && x[2].length === 3) out.set(`${String(x[0])}/${String(x[1])}`, x[2]);
    }
  }
  return out;
}

export function emitModule(mod: DecodedModule, link: Linkage, options: EmitOptions = {}): EmittedModule {
  const entries = new Map<number, string>();
  const fs = splitFunctions(mod.code).filter((f) => !options.functions || options.functions.has(`${f.name}/${f.arity}`));
  for (const f of fs) entries.set(f.entry, functionSymbol(mod.beam.module, f.name, f.arity));
  const e = new ModuleEmitter(mod, link, entries);
  for (const f of fs) e.arities.set(f.entry, f.arity);
  for (const f of fs) {
    const o = link.override(mod.beam.module, f.name, f.arity);
    if (o) e.overrides.set(f.entry, o);
  }
  const unsupported = new Map<string, number>();
  // The module's source files as atoms (0: Module.erl), for the function records.
  const files = [`${mod.beam.module}.erl`, ...(mod.beam.lines?.files.slice(1) ?? [])];
  const filesSym = `MF.${mangle(mod.beam.module)}`;
  e.fnRecords.push(`${filesSym}: dd ${files.map((f) => hex(atomTerm(link.atom(f)))).join(", ")}`);
  const shown = link.hidden(mod.beam.module) ? shownAs(mod.beam.attributes) : new Map<string, Term[]>();
  const items = fs.flatMap((f) => f.code.map((instr, i) => ({ f, instr, i })));
  for (let k = 0; k < items.length; k++) {
    const { f, instr, i } = items[k]!;
    // BEAM's loader fuses `call_fun | deallocate D | return` into a tail
    // call (i_call_fun_last): so does xbeam (constant stack, and traces as
    // BEAM's).
    e.tailDeallocate = null;
    const [next, after] = [f.code[i + 1], f.code[i + 2]];
    if ((instr.name === "call_fun" || instr.name === "call_fun2") && next?.name === "deallocate" && after?.name === "return" && next.args[0]?.kind === "u") {
      e.tailDeallocate = next.args[0].value;
      k += 2;
    }
    if (instr === f.code[0]) {
      // A function record per function: {M, F, Arity, files, hidden}.
      e.fnRecord = `FN${functionSymbol(mod.beam.module, f.name, f.arity).slice(1)}`;
      e.lineWord = 0;
      // (A function of the runtime's own Erlang may be shown as another:
      // the trap function BEAM's C code would be running.)
      const [m, fn, arity] = (shown.get(`${f.name}/${f.arity}`) ?? [mod.beam.module, f.name, f.arity]) as [string, string, number];
      e.fnRecords.push(`${e.fnRecord}: dd ${hex(atomTerm(link.atom(m)))}, ${hex(atomTerm(link.atom(fn)))}, ${arity}, ${filesSym}, ${link.hidden(mod.beam.module) ? 1 : 0}`);
      // Every function of the image, for trace_pattern's count (runtime-asm/trace.asm).
      e.fnTable.push(`dd ${e.fnRecord}`);
      e.text.push(`%xdefine XB_FN ${e.fnRecord}`, "%xdefine XB_LINE 0");
    }
    const mark = e.text.length;
    const coldMark = e.cold.length;
    try {
      const s = lowerInstr(instr);
      e.cur = s;
      const emit = (options.generic ? GENERIC_EMITTERS[s.spec] : undefined) ?? EMITTERS[s.spec];
      if (!emit) e.fail(`no emitter for ${s.spec}`);
      if (s.spec !== "line") e.text.push(comment(s));
      emit(e, s.args);
    } catch (err) {
      if (!(err instanceof LowerError || err instanceof EmitError || err instanceof UnsupportedTermError)) throw err;
      e.text.length = mark; // drop what the failed emitter wrote
      unsupported.set(instr.name, (unsupported.get(instr.name) ?? 0) + 1);
      e.text.push(`; ${instr.name}: ${err.message}`);
      // A label must still be defined (others jump to it) before the trap.
      if (instr.name === "label" && instr.args[0]?.kind === "u") e.text.push(`${labelSymbol(e.module, instr.args[0].value)}:`);
      e.emit(`mov eax, ${hex(atomTerm(link.atom(instr.name)))}`, `mov ebx, ${hex(atomTerm(link.atom("xbeam_unsupported")))}`, "CALLA xb_raise_pair");
    }
    // Cold code goes at the end of the module: it names its site's function and line again.
    if (e.cold.length > coldMark) e.cold.splice(coldMark, 0, `%xdefine XB_FN ${e.fnRecord}`, `%xdefine XB_LINE ${hex(e.lineWord)}`);
  }
  // Every call from Erlang code is a call site: CALLA -> CALLS (macros.inc).
  const sites = (l: string) => l.replace(/^(\s*)CALLA /, "$1CALLS ").replace(/^(\s*)CALLR /, "$1CALLRS ");
  const defined = new Set(e.text.filter((l) => l.endsWith(":")).map((l) => l.slice(0, -1)));
  const asm = [
    `; module ${mod.beam.module}: generated by xbeam`,
    `%include "macros.inc"`,
    "extern xb_xregs, xb_gc, xb_yield, xb_compare, xb_eq_exact, xb_stack_grow, xb_function_clause, xb_undef",
    "extern xb_badmatch, xb_case_end, xb_if_end, xb_badrecord, xb_raise_pending, xb_fun_entry",
    "extern xb_try_clause, xb_raw_raise, xb_reraise, xb_apply, xb_raise_pair, xb_generic",
    ...[...e.globals].map((g) => `global ${g}`),
    ...[...new Set(e.text.concat(e.cold).flatMap((l) => [...l.matchAll(/\b(xb_[A-Za-z0-9_]+|F\.[^\s,:\]]+|GW\.[A-Za-z0-9_]+)/g)].map((m) => m[1]!)))]
      .filter((s) => !defined.has(s) && !FIXED_EXTERNS.has(s))
      .map((s) => `extern ${s}`),
    "[section xb_sites progbits alloc noexec nowrite align=4]",
    "section .text",
    ...e.text.map(sites),
    "; --- cold code",
    ...e.cold.map(sites),
    "[section xb_fns progbits alloc noexec nowrite align=4]",
    ...e.fnTable,
    "section .rodata",
    "align 4",
    ...e.fnRecords,
    ...e.rodata(),
    ...e.data.lines,
    "",
  ].join("\n");
  return { asm, unsupported };
}

