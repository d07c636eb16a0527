// compiler/write-term.ts — Erlang's ~w: a term as io_lib:write/1 prints it.
//
// In: a Term.  Out: the characters that io:format("~w", [Term]) produces in
// OTP 25 (latin-1 encoding, no depth limit), as a JS string whose code units
// are all below 256.  The rules, from io_lib and io_lib_format:
//   - atoms are quoted unless they start with a lower-case letter (a-z or
//     latin-1 ß..ÿ but not ÷) and continue with letters, digits, _ or @, and
//     are not reserved words; quoted text escapes control characters and
//     writes characters above 255 as \x{HEX};
//   - floats use the shortest digits that read back exactly, in plain form
//     unless the exponent form is strictly shorter or the magnitude is at
//     least 2^53;
//   - lists print element by element (no string detection in ~w);
//   - maps print in their internal order: sorted keys for up to 32 keys.

import { mapIterationOrder } from "./map-order.js";
import {
  Closure, ErlBitstring, ErlFloat, ErlList, ErlMap, ExportFun, Pid, Port, Ref, type Term,
} from "./term.js";

const RESERVED = new Set([
  "after", "and", "andalso", "band", "begin", "bnot", "bor", "bsl", "bsr", "bxor", "case",
  "catch", "cond", "div", "end", "fun", "if", "let", "not", "of", "or", "orelse", "receive",
  "rem", "try", "when", "xor",
]);

function isLowerStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0xdf && c <= 0xff && c !== 0xf7);
}

function isNameChar(c: number): boolean {
  return isLowerStart(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0xc0 && c <= 0xde && c !== 0xd7) ||
    (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x40;
}

const atomCache = new Map<string, string>();

/** An atom as ~w writes it. */
export function writeAtom(a: string): string {
  let out = atomCache.get(a);
  if (out !== undefined) return out;
  let plain = a.length > 0 && isLowerStart(a.charCodeAt(0)) && !RESERVED.has(a);
  for (let i = 1; plain && i < a.length; i++) plain = isNameChar(a.charCodeAt(i));
  out = plain ? a : quoteLatin1(a, "'");
  if (atomCache.size < 100000) atomCache.set(a, out);
  return out;
}

const ESCAPES: Record<number, string> = {
  0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t", 0x0b: "\\v", 0x08: "\\b", 0x0c: "\\f", 0x1b: "\\e", 0x7f: "\\d",
};

/** io_lib's write_string_as_latin1 with quote character q. */
function quoteLatin1(s: string, q: string): string {
  let out = q;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === q) out += "\\" + q;
    else if (c === 0x5c) out += "\\\\";
    else if ((c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff)) out += ch;
    else if (c > 0xff) out += `\\x{${c.toString(16).toUpperCase()}}`;
    else if (ESCAPES[c] !== undefined) out += ESCAPES[c];
    else out += "\\" + (c >> 6) + ((c >> 3) & 7) + (c & 7);
  }
  return out + q;
}

/** float_to_list(F, [short]): shortest round-trip digits, plain or exponent form. */
export function formatFloat(v: number): string {
  if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
  const sign = v < 0 ? "-" : "";
  // JS gives the same shortest round-trip digits; take them from exponent form.
  const [mant, expText] = Math.abs(v).toExponential().split("e") as [string, string];
  const digits = mant.replace(".", "");
  const e = Number(expText); // value = d.ddd × 10^e
  const n = digits.length;
  const sci = `${digits[0]}.${n > 1 ? digits.slice(1) : "0"}e${e}`;
  let plain: string;
  if (e >= n - 1) plain = digits + "0".repeat(e - (n - 1)) + ".0";
  else if (e >= 0) plain = `${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`;
  else plain = `0.${"0".repeat(-e - 1)}${digits}`;
  // From 2^53 up, where not every integer is a double, OTP always uses the
  // exponent form; below, the shorter form, and the plain one on a tie.
  const useSci = Math.abs(v) >= 2 ** 53 || sci.length < plain.length;
  return sign + (useSci ? sci : plain);
}

function writeBitstring(b: ErlBitstring): string {
  const whole = b.bitSize >> 3, rest = b.bitSize & 7;
  const parts: string[] = [];
  for (let i = 0; i < whole; i++) parts.push(String(b.bytes[i]));
  // io_lib writes the trailing bits as Value:Size.
  if (rest) parts.push(`${b.bytes[whole]! >> (8 - rest)}:${rest}`);
  return `<<${parts.join(",")}>>`;
}

function writeNode(node: string): string {
  return writeAtom(node);
}

/** The characters of ~w for a term. */
export function writeTerm(t: Term): string {
  switch (typeof t) {
    case "number":
    case "bigint":
      return String(t);
    case "string":
      return writeAtom(t);
  }
  if (Array.isArray(t)) {
    if (t.length === 0) return "{}";
    let s = "{" + writeTerm(t[0]!);
    for (let i = 1; i < t.length; i++) s += "," + writeTerm(t[i]!);
    return s + "}";
  }
  if (t instanceof ErlList) {
    if (t.items.length === 0) return t.tail === null ? "[]" : writeTerm(t.tail);
    let s = "[" + writeTerm(t.items[0]!);
    for (let i = 1; i < t.items.length; i++) s += "," + writeTerm(t.items[i]!);
    if (t.tail !== null) s += "|" + writeTerm(t.tail);
    return s + "]";
  }
  if (t instanceof ErlFloat) return formatFloat(t.value);
  if (t instanceof ErlBitstring) return writeBitstring(t);
  if (t instanceof ErlMap) {
    if (t.entries.length === 0) return "#{}";
    // Up to 32 keys a map is flat, its keys sorted; a larger one is a hash
    // trie, walked in hash order (sorted when atoms are among its keys,
    // since their hash depends on the VM's atom table: see map-order.ts).
    const es = mapIterationOrder(t.entries);
    return "#{" + es.map(([k, v]) => `${writeTerm(k)} => ${writeTerm(v)}`).join(",") + "}";
  }
  if (t instanceof ExportFun) return `fun ${writeTerm(t.module)}:${writeTerm(t.name)}/${t.arity}`;
  if (t instanceof Pid) return `<${writeNode(t.node)}.${t.id}.${t.serial}>`;
  if (t instanceof Port) return `#Port<${writeNode(t.node)}.${t.id}>`;
  if (t instanceof Ref) return `#Ref<${writeNode(t.node)}.${[...t.ids].reverse().join(".")}>`;
  if (t instanceof Closure) return `#Fun<${writeTerm(t.module)}.${t.index}.${t.oldUniq instanceof Object ? 0 : String(t.oldUniq)}>`;
  throw new Error("writeTerm: not a term");
}
