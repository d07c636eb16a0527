// compiler/disasm-erlang.ts — the disassembly that OTP's beam_disasm:file/1 shows.
//
// In:  a BeamFile and its decoded instructions (code.ts).
// Out: for each function, the term beam_disasm puts in its code list,
//      {function, Name, Arity, Entry, Code}, so that printing it with ~w
//      (write-term.ts) gives the same bytes as io:format("~w.~n", [F]).
//
// beam_disasm is a reference we match exactly, quirks included:
//   - each instruction has its own shape (operands resolved or left raw,
//     `test` wrappers, {field_flags, N} ...), listed in RESOLVERS below;
//   - labels and line instructions that precede a func_info belong to that
//     function; for every function but the first they come in reverse order,
//     because beam_disasm collects them from a reversed list;
//   - local calls name the callee by {M, F, A}, looked up from the labels
//     that directly follow each func_info.
// Whatever beam_disasm cannot show (unknown or obsolete instructions, calls
// to labels that are not function entries ...) is a DisasmError.

import type { BeamFile, Mfa } from "./beam-file.js";
import type { Instr, Operand } from "./code.js";
import { ErlBitstring, ErlFloat, list, NIL, type Term } from "./term.js";
import { typeTerm } from "./types.js";

export class DisasmError extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}

interface Ctx {
  readonly beam: BeamFile;
  /** Function entry label -> {M, F, A}. */
  readonly entries: Map<number, Term>;
  instr: Instr;
}

function bad(ctx: Ctx, what: string): never {
  throw new DisasmError(ctx.instr.offset, `${ctx.instr.name}: ${what}`);
}

// ---------------------------------------------------------------------------
// Operands: the raw form (decode_arg/4) and the resolved form (resolve_arg/1).

function raw(ctx: Ctx, o: Operand): Term {
  switch (o.kind) {
    case "u": return ["u", o.value];
    case "i": return ["i", o.value];
    case "atom": return ["atom", o.value];
    case "nil": return "nil";
    case "x": return ["x", o.n];
    case "y": return ["y", o.n];
    case "f": return ["f", o.label];
    case "h": return ["h", o.value];
    case "fr": return ["fr", o.n];
    case "float": return ["float", new ErlFloat(o.value)];
    case "alloc": return ["u", allocTerm(o.items)];
    case "literal": return o.value instanceof ErlFloat ? ["float", o.value] : ["literal", o.value];
    case "tr": return ["tr", raw(ctx, o.reg), typeTerm(o.type)];
    case "list": return bad(ctx, "unexpected list operand");
  }
}

function allocTerm(items: Extract<Operand, { kind: "alloc" }>["items"]): Term {
  return ["alloc", list(items.map((i) => [i.kind, i.n]))];
}

function res(ctx: Ctx, o: Operand): Term {
  switch (o.kind) {
    case "u": return o.value;
    case "i": return ["integer", o.value];
    case "h": case "alloc": case "list": return bad(ctx, `cannot resolve a ${o.kind} operand`);
    default: return raw(ctx, o);
  }
}

const resAll = (ctx: Ctx, os: readonly Operand[]): Term[] => os.map((o) => res(ctx, o));

/** The value of an operand that must be u-tagged. */
function u(ctx: Ctx, o: Operand | undefined): number {
  if (o?.kind !== "u") bad(ctx, "expected an unsigned operand");
  return o.value;
}

/** A u operand as beam_disasm keeps it when it only pattern-matches {u, N}. */
function uOrAlloc(ctx: Ctx, o: Operand | undefined): Term {
  if (o?.kind === "alloc") return allocTerm(o.items);
  return u(ctx, o);
}

function listArg(ctx: Ctx, o: Operand | undefined): readonly Operand[] {
  if (o?.kind !== "list") bad(ctx, "expected a list operand");
  return o.items;
}

/** {list, [resolved items]} */
function resolvedList(ctx: Ctx, o: Operand | undefined): Term {
  return ["list", list(resAll(ctx, listArg(ctx, o)))];
}

const flags = (ctx: Ctx, o: Operand | undefined): Term => ["field_flags", u(ctx, o)];

function importAt(ctx: Ctx, index: number): Mfa {
  const mfa = ctx.beam.imports[index];
  if (mfa === undefined) bad(ctx, `import index ${index} is out of range`);
  return mfa;
}

const extfunc = (m: Mfa): Term => ["extfunc", m.module, m.name, m.arity];

function localCallee(ctx: Ctx, o: Operand | undefined): Term {
  if (o?.kind !== "f") bad(ctx, "expected a label");
  const mfa = ctx.entries.get(o.label);
  if (mfa === undefined) bad(ctx, `label ${o.label} is not a function entry`);
  return mfa;
}

function lambda(ctx: Ctx, index: number) {
  const l = ctx.beam.lambdas[index];
  if (l === undefined) bad(ctx, `lambda index ${index} is out of range`);
  return l;
}

function strings(ctx: Ctx, off: number, len: number): Uint8Array {
  const s = ctx.beam.strings;
  if (off + len > s.length) bad(ctx, `string at ${off} of length ${len} is outside the string table`);
  return s.subarray(off, off + len);
}

// ---------------------------------------------------------------------------
// Instructions.

type Resolver = (ctx: Ctx, a: readonly Operand[]) => Term;

const test: Resolver = (ctx, a) => {
  const [l, ...rest] = resAll(ctx, a);
  return ["test", ctx.instr.name, l!, list(rest)];
};
const plain: Resolver = (ctx) => ctx.instr.name;
const rawArgs: Resolver = (ctx, a) => [ctx.instr.name, ...a.map((o) => raw(ctx, o))];
const resolvedArgs: Resolver = (ctx, a) => [ctx.instr.name, ...resAll(ctx, a)];
const bifN: Resolver = (ctx, a) => {
  // bif1/bif2: [Fail, Bif, Args..., Dst]
  const [f, bif, ...rest] = resAll(ctx, a);
  const dst = rest.pop()!;
  return ["bif", importAt(ctx, bif as number).name, f!, list(rest), dst];
};
const gcBif: Resolver = (ctx, a) => {
  const [f, live, bif, ...rest] = resAll(ctx, a);
  const dst = rest.pop()!;
  return ["gc_bif", importAt(ctx, bif as number).name, f!, live!, list(rest), dst];
};
const fArith: Resolver = (ctx, a) => {
  const [f, ...rest] = resAll(ctx, a);
  const dst = rest.pop()!;
  return ["arithfbif", ctx.instr.name, f!, list(rest), dst];
};
const bsPut: Resolver = (ctx, a) =>
  [ctx.instr.name, raw(ctx, a[0]!), res(ctx, a[1]!), u(ctx, a[2]), flags(ctx, a[3]), res(ctx, a[4]!)];
const bsGet2: Resolver = (ctx, a) =>
  ["test", ctx.instr.name, raw(ctx, a[0]!),
    list([raw(ctx, a[1]!), u(ctx, a[2]), res(ctx, a[3]!), u(ctx, a[4]), flags(ctx, a[5]), res(ctx, a[6]!)])];
const bsInit: Resolver = (ctx, a) =>
  [ctx.instr.name, raw(ctx, a[0]!), res(ctx, a[1]!), u(ctx, a[2]), u(ctx, a[3]), flags(ctx, a[4]), res(ctx, a[5]!)];
const bsGetUtf: Resolver = (ctx, a) =>
  ["test", ctx.instr.name, raw(ctx, a[0]!), list([res(ctx, a[1]!), res(ctx, a[2]!), flags(ctx, a[3]), res(ctx, a[4]!)])];
const bsSkipUtf: Resolver = (ctx, a) =>
  ["test", ctx.instr.name, raw(ctx, a[0]!), list([res(ctx, a[1]!), res(ctx, a[2]!), flags(ctx, a[3])])];
const bsPutUtf: Resolver = (ctx, a) => [ctx.instr.name, raw(ctx, a[0]!), flags(ctx, a[1]), res(ctx, a[2]!)];
const selectInstr: Resolver = (ctx, a) => [ctx.instr.name, raw(ctx, a[0]!), raw(ctx, a[1]!), resolvedList(ctx, a[2])];
const putMap: Resolver = (ctx, a) =>
  [ctx.instr.name, raw(ctx, a[0]!), raw(ctx, a[1]!), raw(ctx, a[2]!), u(ctx, a[3]), resolvedList(ctx, a[4])];
const saveRestore: Resolver = (ctx, a) =>
  [ctx.instr.name, raw(ctx, a[0]!), a[1]?.kind === "atom" ? raw(ctx, a[1]) : u(ctx, a[1])];

const RESOLVERS: Partial<Record<Instr["name"], Resolver>> = {
  label: (ctx, a) => ["label", u(ctx, a[0])],
  call: (ctx, a) => ["call", u(ctx, a[0]), localCallee(ctx, a[1])],
  call_last: (ctx, a) => ["call_last", u(ctx, a[0]), localCallee(ctx, a[1]), u(ctx, a[2])],
  call_only: (ctx, a) => ["call_only", u(ctx, a[0]), localCallee(ctx, a[1])],
  call_ext: (ctx, a) => ["call_ext", u(ctx, a[0]), extfunc(importAt(ctx, u(ctx, a[1])))],
  call_ext_last: (ctx, a) => ["call_ext_last", u(ctx, a[0]), extfunc(importAt(ctx, u(ctx, a[1]))), u(ctx, a[2])],
  call_ext_only: (ctx, a) => ["call_ext_only", u(ctx, a[0]), extfunc(importAt(ctx, u(ctx, a[1])))],
  bif0: (ctx, a) => {
    const [bif, dst] = resAll(ctx, a);
    return ["bif", importAt(ctx, bif as number).name, "nofail", NIL, dst!];
  },
  bif1: bifN,
  bif2: bifN,
  allocate: (ctx, a) => ["allocate", u(ctx, a[0]), uOrAlloc(ctx, a[1])],
  allocate_heap: (ctx, a) => ["allocate_heap", u(ctx, a[0]), uOrAlloc(ctx, a[1]), u(ctx, a[2])],
  allocate_zero: (ctx, a) => ["allocate_zero", u(ctx, a[0]), uOrAlloc(ctx, a[1])],
  allocate_heap_zero: (ctx, a) => ["allocate_heap_zero", u(ctx, a[0]), uOrAlloc(ctx, a[1]), u(ctx, a[2])],
  test_heap: (ctx, a) => ["test_heap", uOrAlloc(ctx, a[0]), u(ctx, a[1])],
  init: rawArgs,
  deallocate: (ctx, a) => ["deallocate", u(ctx, a[0])],
  return: plain, send: plain, remove_message: plain, timeout: plain, if_end: plain,
  bs_init_writable: plain, fclearerror: plain, build_stacktrace: plain, raw_raise: plain,
  on_load: plain, nif_start: plain,
  loop_rec: rawArgs, loop_rec_end: rawArgs, wait: rawArgs,
  wait_timeout: (ctx, a) => ["wait_timeout", raw(ctx, a[0]!), res(ctx, a[1]!)],
  is_lt: test, is_ge: test, is_eq: test, is_ne: test, is_eq_exact: test, is_ne_exact: test,
  is_integer: test, is_float: test, is_number: test, is_atom: test, is_pid: test,
  is_reference: test, is_port: test, is_nil: test, is_binary: test, is_list: test,
  is_nonempty_list: test, is_tuple: test, test_arity: test, is_tagged_tuple: test,
  is_function: test, is_boolean: test, is_function2: test, is_bitstr: test, is_map: test,
  select_val: selectInstr,
  select_tuple_arity: selectInstr,
  jump: rawArgs, catch: rawArgs, catch_end: rawArgs,
  move: (ctx, a) => ["move", res(ctx, a[0]!), raw(ctx, a[1]!)],
  get_list: rawArgs,
  get_tuple_element: (ctx, a) => ["get_tuple_element", res(ctx, a[0]!), u(ctx, a[1]), res(ctx, a[2]!)],
  set_tuple_element: (ctx, a) => ["set_tuple_element", res(ctx, a[0]!), res(ctx, a[1]!), u(ctx, a[2])],
  put_list: (ctx, a) => ["put_list", res(ctx, a[0]!), res(ctx, a[1]!), raw(ctx, a[2]!)],
  put_tuple: (ctx, a) => ["put_tuple", u(ctx, a[0]), raw(ctx, a[1]!)],
  put: resolvedArgs, badmatch: resolvedArgs, case_end: resolvedArgs, try_case_end: resolvedArgs,
  badrecord: resolvedArgs, fcheckerror: resolvedArgs, bs_context_to_binary: resolvedArgs,
  call_fun: (ctx, a) => ["call_fun", u(ctx, a[0])],
  bs_put_integer: bsPut, bs_put_binary: bsPut, bs_put_float: bsPut,
  bs_put_string: (ctx, a) => {
    const len = u(ctx, a[0]), off = u(ctx, a[1]);
    const s = len > 0 ? Array.from(strings(ctx, off, len)) : [];
    return ["bs_put_string", len, ["string", list(s)]];
  },
  fmove: resolvedArgs, fconv: resolvedArgs,
  fadd: fArith, fsub: fArith, fmul: fArith, fdiv: fArith,
  fnegate: fArith,
  try: rawArgs, try_end: rawArgs, try_case: rawArgs,
  raise: (ctx, a) => ["raise", ["f", 0], list(a.map((o) => raw(ctx, o))), ["x", 0]],
  bs_init2: bsInit, bs_init_bits: bsInit,
  bs_add: (ctx, a) => ["bs_add", raw(ctx, a[0]!), list(resAll(ctx, a.slice(1, 4))), res(ctx, a[4]!)],
  apply: (ctx, a) => ["apply", u(ctx, a[0])],
  apply_last: (ctx, a) => ["apply_last", u(ctx, a[0]), u(ctx, a[1])],
  bs_start_match2: (ctx, a) =>
    ["test", "bs_start_match2", raw(ctx, a[0]!), list([raw(ctx, a[1]!), u(ctx, a[2]), u(ctx, a[3]), raw(ctx, a[4]!)])],
  bs_get_integer2: bsGet2, bs_get_binary2: bsGet2, bs_get_float2: bsGet2,
  bs_skip_bits2: (ctx, a) =>
    ["test", "bs_skip_bits2", raw(ctx, a[0]!), list([raw(ctx, a[1]!), res(ctx, a[2]!), u(ctx, a[3]), flags(ctx, a[4])])],
  bs_test_tail2: (ctx, a) => ["test", ctx.instr.name, raw(ctx, a[0]!), list([raw(ctx, a[1]!), u(ctx, a[2])])],
  bs_test_unit: (ctx, a) => ["test", ctx.instr.name, raw(ctx, a[0]!), list([raw(ctx, a[1]!), u(ctx, a[2])])],
  bs_save2: saveRestore, bs_restore2: saveRestore,
  gc_bif1: gcBif, gc_bif2: gcBif, gc_bif3: gcBif,
  bs_match_string: (ctx, a) => {
    const bits = u(ctx, a[2]), off = u(ctx, a[3]);
    const len = Math.floor((bits + 7) / 8);
    const bin = len > 0 ? strings(ctx, off, len).slice() : new Uint8Array(0);
    return ["test", "bs_match_string", raw(ctx, a[0]!), list([raw(ctx, a[1]!), bits, new ErlBitstring(bin)])];
  },
  bs_append: (ctx, a) =>
    ["bs_append", raw(ctx, a[0]!), res(ctx, a[1]!), u(ctx, a[2]), u(ctx, a[3]), u(ctx, a[4]), res(ctx, a[5]!),
      flags(ctx, a[6]), res(ctx, a[7]!)],
  bs_private_append: (ctx, a) =>
    ["bs_private_append", raw(ctx, a[0]!), res(ctx, a[1]!), u(ctx, a[2]), res(ctx, a[3]!), flags(ctx, a[4]), res(ctx, a[5]!)],
  trim: (ctx, a) => ["trim", u(ctx, a[0]), u(ctx, a[1])],
  bs_get_utf8: bsGetUtf, bs_get_utf16: bsGetUtf, bs_get_utf32: bsGetUtf,
  bs_skip_utf8: bsSkipUtf, bs_skip_utf16: bsSkipUtf, bs_skip_utf32: bsSkipUtf,
  bs_utf8_size: resolvedArgs, bs_utf16_size: resolvedArgs,
  bs_put_utf8: bsPutUtf, bs_put_utf16: bsPutUtf, bs_put_utf32: bsPutUtf,
  recv_mark: rawArgs, recv_set: rawArgs,
  line: resolvedArgs,
  put_map_assoc: putMap, put_map_exact: putMap,
  has_map_fields: (ctx, a) => ["test", "has_map_fields", raw(ctx, a[0]!), raw(ctx, a[1]!), resolvedList(ctx, a[2])],
  get_map_elements: (ctx, a) => ["get_map_elements", raw(ctx, a[0]!), raw(ctx, a[1]!), resolvedList(ctx, a[2])],
  get_hd: rawArgs, get_tl: rawArgs,
  put_tuple2: (ctx, a) => ["put_tuple2", raw(ctx, a[0]!), resolvedList(ctx, a[1])],
  bs_start_match3: rawArgs, bs_get_tail: rawArgs, bs_get_position: rawArgs, bs_set_position: rawArgs,
  bs_start_match4: rawArgs,
  swap: resolvedArgs,
  init_yregs: (ctx, a) => ["init_yregs", resolvedList(ctx, a[0])],
  recv_marker_bind: rawArgs, recv_marker_clear: rawArgs, recv_marker_reserve: rawArgs, recv_marker_use: rawArgs,
  bs_create_bin: (ctx, a) => {
    const items = listArg(ctx, a[5]);
    const fields = a.slice(0, 5).map((o) => raw(ctx, o));
    return ["bs_create_bin", list([[...fields, ["z", 1], ["u", items.length], list(items.map((o) => raw(ctx, o)))]])];
  },
  call_fun2: (ctx, a) => ["call_fun2", raw(ctx, a[0]!), u(ctx, a[1]), raw(ctx, a[2]!)],
  make_fun2: (ctx, a) => {
    const index = u(ctx, a[0]);
    const l = lambda(ctx, index);
    return ["make_fun2", [ctx.beam.module, l.name, l.arity], index, l.oldUniq, l.numFree];
  },
  make_fun3: (ctx, a) => {
    const index = u(ctx, a[0]);
    const l = lambda(ctx, index);
    return ["make_fun3", [ctx.beam.module, l.name, l.arity], index, l.oldUniq, raw(ctx, a[1]!), resolvedList(ctx, a[2])];
  },
};

// ---------------------------------------------------------------------------
// Functions.

export interface DisasmFunction {
  readonly name: string;
  readonly arity: number;
  readonly entry: number;
  /** The function's instructions in beam_disasm's order (see the header). */
  readonly code: readonly Instr[];
  /** Index of the func_info instruction in `code`. */
  readonly funcInfo: number;
}

const isPrologue = (i: Instr): boolean => i.name === "label" || i.name === "line";

/** Splits the instruction stream into functions the way beam_disasm does. */
export function splitFunctions(instrs: readonly Instr[]): DisasmFunction[] {
  let end = instrs.length;
  if (end > 0 && instrs[end - 1]!.name === "int_code_end") end--;
  if (instrs.length === 0) throw new DisasmError(0, "empty code segment");
  const out: DisasmFunction[] = [];
  let i = 0;
  let prologue: Instr[] = [];
  while (i < end && isPrologue(instrs[i]!)) prologue.push(instrs[i++]!);
  let first = true;
  while (i < end || prologue.length > 0) {
    const fi = instrs[i];
    if (fi === undefined || fi.name !== "func_info") {
      throw new DisasmError(fi?.offset ?? instrs[end - 1]!.offset, "expected func_info");
    }
    const [m, f, a] = fi.args;
    if (m?.kind !== "atom" || f?.kind !== "atom" || a?.kind !== "u") {
      throw new DisasmError(fi.offset, "func_info operands are not {atom, atom, unsigned}");
    }
    // The body runs to the next func_info, less the labels and lines just before it.
    let j = i + 1;
    while (j < end && instrs[j]!.name !== "func_info") j++;
    let bodyEnd = j;
    if (j < end) while (bodyEnd > i + 1 && isPrologue(instrs[bodyEnd - 1]!)) bodyEnd--;
    const body = instrs.slice(i + 1, bodyEnd);
    const entry = body[0];
    if (entry?.name !== "label" || entry.args[0]?.kind !== "u") {
      throw new DisasmError(entry?.offset ?? fi.offset, "function does not start with a label");
    }
    const lead = first ? prologue : [...prologue].reverse();
    out.push({
      name: f.value, arity: a.value, entry: entry.args[0].value,
      code: [...lead, fi, ...body], funcInfo: lead.length,
    });
    first = false;
    prologue = instrs.slice(bodyEnd, j);
    i = j;
    if (i >= end) break;
  }
  if (out.length === 0) throw new DisasmError(instrs[0]!.offset, "no function in the code segment");
  return out;
}

/** Entry labels: the labels right after each func_info, mapped to {M, F, A}. */
function entryLabels(fs: readonly DisasmFunction[], module: string): Map<number, Term> {
  const m = new Map<number, Term>();
  for (const f of fs) {
    const mfa: Term = [module, f.name, f.arity];
    for (let k = f.funcInfo + 1; k < f.code.length && f.code[k]!.name === "label"; k++) {
      const l = f.code[k]!.args[0];
      if (l?.kind === "u") m.set(l.value, mfa);
    }
  }
  return m;
}

/** beam_disasm's code list: one {function, Name, Arity, Entry, Code} term per function. */
export function disasmFunctions(beam: BeamFile, instrs: readonly Instr[]): Term[] {
  const fs = splitFunctions(instrs);
  const ctx: Ctx = { beam, entries: entryLabels(fs, beam.module), instr: instrs[0]! };
  return fs.map((f) => {
    const code = f.code.map((ins, k) => {
      ctx.instr = ins;
      if (k === f.funcInfo) return ["func_info", raw(ctx, ins.args[0]!), raw(ctx, ins.args[1]!), f.arity] as Term;
      const r = RESOLVERS[ins.name];
      if (r === undefined) bad(ctx, "beam_disasm has no form for this instruction");
      return r(ctx, ins.args);
    });
    return ["function", f.name, f.arity, f.entry, list(code)] as Term;
  });
}
