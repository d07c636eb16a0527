// compiler/lower.ts — generic instructions to specialized ones, by a rules table.
//
// In:  a module's generic instructions (code.ts).
// Out: SpecInstr values: the name of the specialized form the emitter has an
//      emit function for, the operands (typed registers unwrapped to their
//      register), and whether the form belongs in cold code.
//
// Each rule is `op | operand kinds => spec`; the first matching rule wins,
// so specific forms come before general ones.  Operand kinds, one letter a
// operand:
//   x y  registers            c  immediate constant (small integer, atom, [])
//   l    boxed constant (literal, big integer, float)
//   f    label    n  label 0 ("no fail label")    u  unsigned number
//   q    operand list         a  allocation list  r  float register
// and in patterns: `*` any, `s` any source (x y c l), `d` a register (x y),
// and a trailing `+` repeats the last letter for the remaining operands.
// A profile may later reorder forms or move them between hot and cold; the
// table is the one place where that is decided.

import type { Instr, Operand } from "./code.js";
import type { OpName } from "./opcodes.js";

export interface SpecInstr {
  readonly spec: string;
  readonly args: readonly Operand[];
  readonly from: Instr;
  readonly cold: boolean;
}

export interface Rule {
  readonly op: OpName;
  readonly pattern: string;
  readonly spec: string;
  readonly cold?: boolean;
  /** Why this form exists (frequency evidence, or what it saves). */
  readonly why?: string;
}

const SMALL_MIN = -(2 ** 27), SMALL_MAX = 2 ** 27 - 1;

/** The kind letter of an operand. */
export function kindOf(o: Operand): string {
  switch (o.kind) {
    case "x": return "x";
    case "y": return "y";
    case "tr": return o.reg.kind;
    case "atom": case "nil": case "h": return "c";
    case "i": return typeof o.value === "number" && o.value >= SMALL_MIN && o.value <= SMALL_MAX ? "c" : "l";
    case "literal": case "float": return "l";
    case "f": return o.label === 0 ? "n" : "f";
    case "u": return "u";
    case "list": return "q";
    case "alloc": return "a";
    case "fr": return "r";
  }
}

function matches(pattern: string, kinds: string): boolean {
  let p = pattern;
  if (p.endsWith("+")) {
    const last = p[p.length - 2]!;
    p = p.slice(0, -1).padEnd(Math.max(kinds.length, p.length - 1), last);
  }
  if (p.length !== kinds.length) return false;
  for (let i = 0; i < p.length; i++) {
    const want = p[i]!, got = kinds[i]!;
    if (want === "*" || want === got) continue;
    if (want === "s" && "xycl".includes(got)) continue;
    if (want === "d" && "xy".includes(got)) continue;
    return false;
  }
  return true;
}

/** The rules.  Forms not listed here are not supported yet: lowering reports them. */
export const RULES: readonly Rule[] = [
  { op: "label", pattern: "u", spec: "label" },
  { op: "line", pattern: "u", spec: "line" },
  { op: "func_info", pattern: "ccu", spec: "func_info", cold: true },
  { op: "int_code_end", pattern: "", spec: "int_code_end" },

  { op: "move", pattern: "cx", spec: "move_cx", why: "one store of an immediate" },
  { op: "move", pattern: "cy", spec: "move_cy", why: "one store of an immediate" },
  { op: "move", pattern: "sd", spec: "move" },
  { op: "swap", pattern: "dd", spec: "swap" },
  { op: "init_yregs", pattern: "q", spec: "init_yregs" },

  { op: "allocate", pattern: "uu", spec: "allocate" },
  { op: "allocate_zero", pattern: "uu", spec: "allocate_zero" },
  { op: "allocate_heap", pattern: "uuu", spec: "allocate_heap" },
  { op: "allocate_heap", pattern: "uau", spec: "allocate_heap" },
  { op: "allocate_heap_zero", pattern: "uuu", spec: "allocate_heap_zero" },
  { op: "deallocate", pattern: "u", spec: "deallocate" },
  { op: "test_heap", pattern: "uu", spec: "test_heap" },
  { op: "test_heap", pattern: "au", spec: "test_heap" },
  { op: "trim", pattern: "uu", spec: "trim" },
  { op: "return", pattern: "", spec: "return" },

  { op: "call", pattern: "uf", spec: "call" },
  { op: "call_last", pattern: "ufu", spec: "call_last" },
  { op: "call_only", pattern: "uf", spec: "call_only" },
  { op: "call_ext", pattern: "uu", spec: "call_ext" },
  { op: "call_ext_last", pattern: "uuu", spec: "call_ext_last" },
  { op: "call_ext_only", pattern: "uu", spec: "call_ext_only" },
  { op: "jump", pattern: "f", spec: "jump" },
  { op: "apply", pattern: "u", spec: "apply" },
  { op: "apply_last", pattern: "uu", spec: "apply_last" },

  { op: "is_eq_exact", pattern: "fsc", spec: "is_eq_exact_imm", why: "one compare against an immediate" },
  { op: "is_eq_exact", pattern: "fss", spec: "is_eq_exact" },
  { op: "is_ne_exact", pattern: "fsc", spec: "is_ne_exact_imm", why: "one compare against an immediate" },
  { op: "is_ne_exact", pattern: "fss", spec: "is_ne_exact" },
  { op: "is_eq", pattern: "fss", spec: "is_eq" },
  { op: "is_ne", pattern: "fss", spec: "is_ne" },
  { op: "is_lt", pattern: "fss", spec: "is_lt" },
  { op: "is_ge", pattern: "fss", spec: "is_ge" },
  { op: "is_integer", pattern: "fs", spec: "is_integer" },
  { op: "is_atom", pattern: "fs", spec: "is_atom" },
  { op: "is_nil", pattern: "fs", spec: "is_nil" },
  { op: "is_list", pattern: "fs", spec: "is_list" },
  { op: "is_nonempty_list", pattern: "fs", spec: "is_nonempty_list" },
  { op: "is_tuple", pattern: "fs", spec: "is_tuple" },
  { op: "test_arity", pattern: "fsu", spec: "test_arity" },
  { op: "is_tagged_tuple", pattern: "fsuc", spec: "is_tagged_tuple" },
  { op: "is_boolean", pattern: "fs", spec: "is_boolean" },
  { op: "is_float", pattern: "fs", spec: "is_float" },
  { op: "is_number", pattern: "fs", spec: "is_number" },
  { op: "is_function", pattern: "fs", spec: "is_function" },
  { op: "is_function2", pattern: "fsc", spec: "is_function2" },
  { op: "is_function2", pattern: "fss", spec: "is_function2" },
  { op: "is_binary", pattern: "fs", spec: "is_binary" },
  { op: "is_bitstr", pattern: "fs", spec: "is_bitstr" },
  { op: "is_map", pattern: "fs", spec: "is_map" },
  { op: "is_pid", pattern: "fs", spec: "is_pid" },
  { op: "is_port", pattern: "fs", spec: "is_port" },
  { op: "is_reference", pattern: "fs", spec: "is_reference" },
  { op: "select_val", pattern: "sfq", spec: "select_val" },
  { op: "select_tuple_arity", pattern: "sfq", spec: "select_tuple_arity" },

  { op: "get_list", pattern: "sdd", spec: "get_list" },
  { op: "get_hd", pattern: "sd", spec: "get_hd" },
  { op: "get_tl", pattern: "sd", spec: "get_tl" },
  { op: "put_list", pattern: "ssd", spec: "put_list" },
  { op: "put_tuple2", pattern: "dq", spec: "put_tuple2" },
  { op: "get_tuple_element", pattern: "sud", spec: "get_tuple_element" },
  { op: "set_tuple_element", pattern: "sdu", spec: "set_tuple_element" },
  { op: "bif0", pattern: "ud", spec: "bif0" },

  { op: "gc_bif2", pattern: "*u*scd", spec: "gc_bif2_imm", why: "N + 1, N - 1 and the like: one tag test" },
  { op: "gc_bif2", pattern: "*u*ssd", spec: "gc_bif2" },
  { op: "gc_bif3", pattern: "*u*sssd", spec: "gc_bif3" },
  { op: "gc_bif1", pattern: "*u*sd", spec: "gc_bif1" },
  { op: "bif1", pattern: "**sd", spec: "bif1" },
  { op: "bif2", pattern: "**ssd", spec: "bif2" },

  { op: "try", pattern: "yf", spec: "try" },
  { op: "catch", pattern: "yf", spec: "catch" },
  { op: "try_end", pattern: "y", spec: "try_end" },
  { op: "try_case", pattern: "y", spec: "try_case" },
  { op: "catch_end", pattern: "y", spec: "catch_end" },
  { op: "try_case_end", pattern: "s", spec: "try_case_end", cold: true },
  { op: "raw_raise", pattern: "", spec: "raw_raise", cold: true },
  { op: "raise", pattern: "ss", spec: "raise", cold: true },
  { op: "build_stacktrace", pattern: "", spec: "build_stacktrace" },

  { op: "make_fun3", pattern: "udq", spec: "make_fun3" },
  { op: "call_fun", pattern: "u", spec: "call_fun" },
  { op: "call_fun2", pattern: "*ud", spec: "call_fun2" },

  { op: "get_map_elements", pattern: "fsq", spec: "get_map_elements" },
  { op: "has_map_fields", pattern: "fsq", spec: "has_map_fields" },
  { op: "put_map_assoc", pattern: "nsduq", spec: "put_map_assoc" },
  { op: "put_map_exact", pattern: "nsduq", spec: "put_map_exact" },

  // Floats: float registers are doubles in memory (runtime-asm/float.asm).
  // Each arithmetic instruction checks its own result, so the error flag
  // of older compilers (fclearerror, fcheckerror) is nothing to do.
  { op: "fmove", pattern: "lr", spec: "fmove_lr", why: "a literal: one 8-byte load" },
  { op: "fmove", pattern: "dr", spec: "fmove_dr", why: "the compiler knows the source is a float" },
  { op: "fmove", pattern: "rd", spec: "fmove_rd", why: "boxing: the heap was reserved by test_heap" },
  { op: "fmove", pattern: "rr", spec: "fmove_rr" },
  { op: "fconv", pattern: "sr", spec: "fconv" },
  { op: "fadd", pattern: "*rrr", spec: "fadd" },
  { op: "fsub", pattern: "*rrr", spec: "fsub" },
  { op: "fmul", pattern: "*rrr", spec: "fmul" },
  { op: "fdiv", pattern: "*rrr", spec: "fdiv" },
  { op: "fnegate", pattern: "*rr", spec: "fnegate" },
  { op: "fclearerror", pattern: "", spec: "fclearerror" },
  { op: "fcheckerror", pattern: "*", spec: "fcheckerror" },

  // Bit syntax is not compiled yet, but a match on something that is not a
  // binary fails without it: that much runs (e.g. clauses tried in order).
  // Bit syntax (runtime-asm/bits.asm).  The fail operand of
  // bs_start_match4 may be the atom no_fail or resume; bs_create_bin's
  // may be label 0 (raise instead).
  { op: "bs_start_match3", pattern: "fsud", spec: "bs_start_match3" },
  { op: "bs_start_match4", pattern: "*usd", spec: "bs_start_match4" },
  { op: "bs_get_position", pattern: "ddu", spec: "bs_get_position" },
  { op: "bs_set_position", pattern: "ds", spec: "bs_set_position" },
  { op: "bs_get_tail", pattern: "ddu", spec: "bs_get_tail" },
  { op: "bs_test_tail2", pattern: "fd*", spec: "bs_test_tail2" },
  { op: "bs_test_unit", pattern: "fdu", spec: "bs_test_unit" },
  { op: "bs_skip_bits2", pattern: "fd*uu", spec: "bs_skip_bits2" },
  { op: "bs_get_integer2", pattern: "fdu*uud", spec: "bs_get_integer2" },
  { op: "bs_get_binary2", pattern: "fdu*uud", spec: "bs_get_binary2" },
  { op: "bs_get_float2", pattern: "fdu*uud", spec: "bs_get_float2" },
  { op: "bs_get_utf8", pattern: "fduud", spec: "bs_get_utf8" },
  { op: "bs_get_utf16", pattern: "fduud", spec: "bs_get_utf16" },
  { op: "bs_get_utf32", pattern: "fduud", spec: "bs_get_utf32" },
  { op: "bs_skip_utf8", pattern: "fduu", spec: "bs_skip_utf8" },
  { op: "bs_skip_utf16", pattern: "fduu", spec: "bs_skip_utf16" },
  { op: "bs_skip_utf32", pattern: "fduu", spec: "bs_skip_utf32" },
  { op: "bs_match_string", pattern: "fduu", spec: "bs_match_string" },
  { op: "bs_init_writable", pattern: "", spec: "bs_init_writable" },
  { op: "bs_create_bin", pattern: "**uudq", spec: "bs_create_bin" },

  { op: "send", pattern: "", spec: "send" },
  { op: "loop_rec", pattern: "fx", spec: "loop_rec" },
  { op: "loop_rec_end", pattern: "f", spec: "loop_rec_end" },
  { op: "remove_message", pattern: "", spec: "remove_message" },
  { op: "wait", pattern: "f", spec: "wait" },
  { op: "wait_timeout", pattern: "fs", spec: "wait_timeout" },
  { op: "timeout", pattern: "", spec: "timeout" },
  { op: "recv_marker_reserve", pattern: "d", spec: "recv_marker_reserve" },
  { op: "recv_marker_bind", pattern: "ss", spec: "recv_marker_bind" },
  { op: "recv_marker_clear", pattern: "s", spec: "recv_marker_clear" },
  { op: "recv_marker_use", pattern: "s", spec: "recv_marker_use" },

  { op: "badmatch", pattern: "s", spec: "badmatch", cold: true },
  { op: "case_end", pattern: "s", spec: "case_end", cold: true },
  { op: "if_end", pattern: "", spec: "if_end", cold: true },
  { op: "badrecord", pattern: "s", spec: "badrecord", cold: true },
];

const BY_OP = new Map<string, Rule[]>();
for (const r of RULES) {
  const list = BY_OP.get(r.op) ?? [];
  list.push(r);
  BY_OP.set(r.op, list);
}

export class LowerError extends Error {
  constructor(readonly instr: Instr, message: string) {
    super(message);
  }
}

/** Typed registers are plain registers to the code generator (for now). */
function unwrap(o: Operand): Operand {
  return o.kind === "tr" ? o.reg : o;
}

/** Picks the specialized form of one instruction. */
export function lowerInstr(i: Instr): SpecInstr {
  const kinds = i.args.map(kindOf).join("");
  for (const r of BY_OP.get(i.name) ?? []) {
    if (matches(r.pattern, kinds)) return { spec: r.spec, args: i.args.map(unwrap), from: i, cold: r.cold ?? false };
  }
  throw new LowerError(i, `${i.name} with operands (${kinds || "none"}) is not supported yet`);
}
