// emitter/names.ts — NASM symbol names for modules, functions and labels.
//
// In: Erlang names.  Out: assembler identifiers.  Letters and digits stand
// for themselves; every other character (even `_`) becomes `_HEX_`, which
// keeps the encoding one-to-one.  Dots separate the parts, so
//   function lists:seq/2     -> F.lists.seq.2
//   label 12 of module lists -> L.lists.12

export function mangle(name: string): string {
  let out = "";
  for (const ch of name) {
    out += /[A-Za-z0-9]/.test(ch) ? ch : `_${ch.codePointAt(0)!.toString(16)}_`;
  }
  return out || "_";
}

export const functionSymbol = (m: string, f: string, a: number): string => `F.${mangle(m)}.${mangle(f)}.${a}`;
export const labelSymbol = (m: string, l: number): string => `L.${mangle(m)}.${l}`;
export const literalSymbol = (m: string, i: number): string => `K.${mangle(m)}.${i}`;
export const mfaSymbol = (m: string, f: string, a: number): string => `MFA.${mangle(m)}.${mangle(f)}.${a}`;
