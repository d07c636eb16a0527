// loader/reach.ts — which functions an image needs.
//
// In:  the input modules, a way to find any other module by name (the
//      installed OTP), and the set of M:F/A that the runtime implements
//      itself (BIFs: nothing to pull in for them).
// Out: the modules in the image and, per module, the functions to compile.
//
// The inputs are kept whole: every one of their functions is a root, since
// anything may call an exported function by name (apply, spawn, a
// behaviour's callbacks).  From there the walk follows what the code
// names: local calls, external calls, lambdas (make_fun) and `fun M:F/A`
// literals.  A module pulled in from OTP contributes only the functions
// reached this way, so `io:format` brings io's formatting code and not
// the whole of io's callers' graph.  Functions that take a module and a
// function name (spawn/3, apply/3, proc_lib:start_link/3, ...) are
// followed when both are atoms moved into their argument registers just
// before the call: every exported arity of that M:F is kept.  A module
// that passes its own name to OTP's behaviour machinery (`gen:start(?MODULE,
// ...)`, `sys:handle_system_msg(..., ?MODULE, ...)`: it will be called
// back) is kept whole: every exported function.  What the walk
// cannot see is a call whose module or function is a run-time value
// (`apply(M, F, A)` with M computed, `M:F(...)`) into OTP code that nothing
// else reaches: it raises error:undef, as it would in BEAM for a module
// that is not loaded.  Known callers by data (erl_error and the error_info
// modules, DATA_CALLEES) bring their callees along.

import { splitFunctions } from "../compiler/disasm-erlang.js";
import type { DecodedModule } from "../compiler/index.js";
import type { Operand } from "../compiler/code.js";
import { ErlList, ErlMap, ExportFun, type Term } from "../compiler/term.js";

export interface Reach {
  /** Every module in the image, the inputs first, in the order they were met. */
  readonly modules: readonly DecodedModule[];
  /** Per module name, the "F/A" of each function to compile. */
  readonly functions: ReadonlyMap<string, ReadonlySet<string>>;
}

interface ModuleInfo {
  readonly mod: DecodedModule;
  /** "F/A" -> the function's instructions. */
  readonly code: Map<string, readonly import("../compiler/code.js").Instr[]>;
  /** Label -> "F/A" of the function it is in. */
  readonly labelOwner: Map<number, string>;
  readonly exported: Set<string>;
  readonly reached: Set<string>;
}

const key = (f: string, a: number) => `${f}/${a}`;

/** Functions that modules call by a name they find in data: erl_error asks
 *  the error_info module a stack frame names for its explanations.  (A
 *  failed bs_create_bin's frame names erl_erts_errors:format_bs_fail/2,
 *  which comes with any function that has the instruction.) */
const DATA_CALLEES: Readonly<Record<string, readonly (readonly [string, string])[]>> = {
  erl_error: [["erl_stdlib_errors", "format_error"], ["erl_erts_errors", "format_error"], ["erl_kernel_errors", "format_error"]],
};

/** Modules that call back the module that calls them, by name. */
const CALLBACK_CALLERS: ReadonlySet<string> = new Set(["gen", "gen_server", "gen_statem", "gen_event", "proc_lib", "sys", "supervisor", "supervisor_bridge"]);

/** Functions taking a module and a function name: the x registers that hold them. */
const MFA_TAKERS: Readonly<Record<string, readonly [number, number]>> = {
  "erlang:apply/3": [0, 1], "erlang:spawn/3": [0, 1], "erlang:spawn/4": [1, 2],
  "erlang:spawn_link/3": [0, 1], "erlang:spawn_link/4": [1, 2], "erlang:spawn_monitor/3": [0, 1],
  "erlang:spawn_opt/4": [0, 1], "erlang:spawn_opt/5": [1, 2], "erlang:hibernate/3": [0, 1],
  "proc_lib:spawn/3": [0, 1], "proc_lib:spawn_link/3": [0, 1], "proc_lib:spawn_opt/4": [0, 1],
  "proc_lib:start/3": [0, 1], "proc_lib:start/4": [0, 1], "proc_lib:start/5": [0, 1],
  "proc_lib:start_link/3": [0, 1], "proc_lib:start_link/4": [0, 1], "proc_lib:start_link/5": [0, 1],
  "proc_lib:start_monitor/3": [0, 1], "proc_lib:start_monitor/4": [0, 1], "proc_lib:start_monitor/5": [0, 1],
  "proc_lib:hibernate/3": [0, 1], "timer:apply_after/4": [1, 2], "timer:apply_interval/4": [1, 2],
};

/** Every `fun M:F/A` inside a literal. */
function exportFuns(t: Term, out: ExportFun[]): void {
  if (t instanceof ExportFun) out.push(t);
  else if (Array.isArray(t)) for (const e of t) exportFuns(e, out);
  else if (t instanceof ErlList) {
    for (const e of t.items) exportFuns(e, out);
    if (t.tail !== null) exportFuns(t.tail, out);
  } else if (t instanceof ErlMap) for (const [k, v] of t.entries) (exportFuns(k, out), exportFuns(v, out));
}

export function reachable(
  inputs: readonly DecodedModule[],
  find: (module: string) => DecodedModule | undefined,
  builtin: (m: string, f: string, a: number) => boolean,
  extraRoots: readonly { m: string; f: string; a: number }[] = [],
): Reach {
  const infos = new Map<string, ModuleInfo | null>();
  const order: ModuleInfo[] = [];
  const work: [ModuleInfo, string][] = [];

  const info = (name: string, given?: DecodedModule): ModuleInfo | null => {
    let i = infos.get(name);
    if (i !== undefined) return i;
    const mod = given ?? find(name);
    if (!mod) {
      infos.set(name, null);
      return null;
    }
    const code = new Map<string, readonly import("../compiler/code.js").Instr[]>();
    const labelOwner = new Map<number, string>();
    for (const f of splitFunctions(mod.code)) {
      const k = key(f.name, f.arity);
      code.set(k, f.code);
      for (const ins of f.code) if (ins.name === "label" && ins.args[0]?.kind === "u") labelOwner.set(ins.args[0].value, k);
    }
    i = { mod, code, labelOwner, exported: new Set(mod.beam.exports.map((e) => key(e.name, e.arity))), reached: new Set() };
    infos.set(name, i);
    order.push(i);
    for (const [m, f] of DATA_CALLEES[name] ?? []) named(m, f);
    return i;
  };
  const reach = (i: ModuleInfo, k: string) => {
    if (!i.code.has(k) || i.reached.has(k)) return;
    i.reached.add(k);
    work.push([i, k]);
  };
  const external = (m: string, f: string, a: number) => {
    if (m === "erlang" || builtin(m, f, a)) return;
    const i = info(m);
    if (i && i.exported.has(key(f, a))) reach(i, key(f, a));
  };
  /** Every exported arity of M:F; with f null, every exported function of M. */
  const named = (m: string, f: string | null) => {
    const i = info(m);
    if (!i) return;
    for (const e of i.mod.beam.exports) if (f === null || e.name === f) reach(i, key(e.name, e.arity));
  };

  for (const m of inputs) {
    const i = info(m.beam.module, m)!;
    for (const k of i.code.keys()) reach(i, k);
  }
  for (const r of extraRoots) external(r.m, r.f, r.a);

  const funs: ExportFun[] = [];
  while (work.length > 0) {
    const [i, k] = work.pop()!;
    const beam = i.mod.beam;
    // Atoms moved into x registers since the last label or call.
    const atomIn = new Map<number, string>();
    for (const ins of i.code.get(k)!) {
      if (ins.name === "move" && ins.args[1]?.kind === "x") {
        const src = ins.args[0];
        if (src?.kind === "atom") atomIn.set(ins.args[1].n, src.value);
        else atomIn.delete(ins.args[1].n);
      } else if (ins.name === "label") atomIn.clear();
      if (ins.name.startsWith("call_ext") && [...atomIn.values()].includes(beam.module)) {
        const imp = ins.args[1];
        const callee = imp?.kind === "u" ? beam.imports[imp.value] : undefined;
        if (callee && CALLBACK_CALLERS.has(callee.module)) named(beam.module, null);
      }
      switch (ins.name) {
        case "call": case "call_last": case "call_only": {
          const l = ins.args[1];
          if (l?.kind === "f") {
            const owner = i.labelOwner.get(l.label);
            if (owner) reach(i, owner);
          }
          break;
        }
        case "call_ext": case "call_ext_last": case "call_ext_only": {
          const imp = ins.args[1];
          const mfa = imp?.kind === "u" ? beam.imports[imp.value] : undefined;
          if (mfa) {
            external(mfa.module, mfa.name, mfa.arity);
            const regs = MFA_TAKERS[`${mfa.module}:${mfa.name}/${mfa.arity}`];
            const m = regs && atomIn.get(regs[0]), f = regs && atomIn.get(regs[1]);
            if (m !== undefined && f !== undefined) named(m, f);
          }
          atomIn.clear();
          break;
        }
        case "bs_create_bin":
          // Its error_info names the function that explains it, which
          // anyone holding the stack trace may call by that name.
          named("erl_erts_errors", "format_bs_fail");
          break;
        case "make_fun2": case "make_fun3": {
          const idx = ins.args[0];
          const l = idx?.kind === "u" ? beam.lambdas[idx.value] : undefined;
          if (l) reach(i, key(l.name, l.arity));
          break;
        }
        default:
          break;
      }
      for (const o of ins.args) literalFuns(o, funs);
      for (const f of funs.splice(0)) {
        if (typeof f.module === "string" && typeof f.name === "string") external(f.module, f.name, f.arity);
      }
    }
  }

  const functions = new Map<string, ReadonlySet<string>>();
  const modules = order.filter((i) => i.reached.size > 0);
  for (const i of modules) functions.set(i.mod.beam.module, i.reached);
  return { modules: modules.map((i) => i.mod), functions };
}

function literalFuns(o: Operand, out: ExportFun[]): void {
  if (o.kind === "literal") exportFuns(o.value, out);
  else if (o.kind === "list") for (const e of o.items) literalFuns(e, out);
}
