// compiler/disasm-text.ts — the default, human-oriented disassembly listing.
//
// In: a BeamFile and its instructions.  Out: text, one function per block:
//
//   function append/2 (entry 12)
//       label 11
//       func_info lists append 2
//     12: ...
//
// Operands are written tersely: x0 y1 fr2 for registers, L12 for labels,
// atoms and literals as Erlang writes them (~w), `#3` for literal-pool
// entries, `x0::{t_integer,any}` for typed registers.

import type { BeamFile } from "./beam-file.js";
import type { Instr, Operand } from "./code.js";
import { splitFunctions } from "./disasm-erlang.js";
import { joinedTypeTerm } from "./types.js";
import { formatFloat, writeAtom, writeTerm } from "./write-term.js";

function operand(o: Operand): string {
  switch (o.kind) {
    case "u": return String(o.value);
    case "i": return String(o.value);
    case "atom": return writeAtom(o.value);
    case "nil": return "[]";
    case "x": return `x${o.n}`;
    case "y": return `y${o.n}`;
    case "fr": return `fr${o.n}`;
    case "f": return o.label === 0 ? "nofail" : `L${o.label}`;
    case "h": return `$${o.value}`;
    case "float": return formatFloat(o.value);
    case "list": return `[${o.items.map(operand).join(", ")}]`;
    case "alloc": return `alloc(${o.items.map((i) => `${i.kind}=${i.n}`).join(", ")})`;
    case "literal": return writeTerm(o.value);
    case "tr": return `${operand(o.reg)}::${writeTerm(joinedTypeTerm(o.type.bits))}`;
  }
}

function instr(i: Instr, beam: BeamFile): string {
  let args = i.args.map(operand);
  // Name imported functions instead of showing their table index.
  const ext = (k: number) => {
    const a = i.args[k];
    const m = a?.kind === "u" ? beam.imports[a.value] : undefined;
    if (m) args[k] = `${writeAtom(m.module)}:${writeAtom(m.name)}/${m.arity}`;
  };
  switch (i.name) {
    case "call_ext": case "call_ext_last": case "call_ext_only": ext(1); break;
    case "bif0": ext(0); break;
    case "bif1": case "bif2": ext(1); break;
    case "gc_bif1": case "gc_bif2": case "gc_bif3": ext(2); break;
    case "line": {
      const a = i.args[0];
      const lines = beam.lines;
      if (a?.kind === "u" && lines && a.value < lines.lineOf.length) {
        const file = lines.files[lines.fileOf[a.value]!] || `${beam.module}.erl`;
        args = [a.value === 0 ? "(no location)" : `${file}:${lines.lineOf[a.value]}`];
      }
      break;
    }
  }
  return i.name === "label" ? `  ${args[0]}:` : `      ${i.name}${args.length ? " " + args.join(", ") : ""}`;
}

export function disasmText(beam: BeamFile, instrs: readonly Instr[]): string {
  const out: string[] = [`module ${writeAtom(beam.module)}`];
  out.push(`exports ${beam.exports.map((e) => `${writeAtom(e.name)}/${e.arity}`).join(" ")}`);
  for (const f of splitFunctions(instrs)) {
    out.push("", `function ${writeAtom(f.name)}/${f.arity} (entry L${f.entry})`);
    for (const i of f.code) out.push(instr(i, beam));
  }
  return out.join("\n") + "\n";
}
