// emitter/atoms.ts — how erlang:display/1 writes an atom.
//
// In: an atom's text.  Out: its printed form, as erts' own printer (%T)
// writes it: bare when it starts with a lower-case latin-1 letter and goes
// on with letters, digits and _ (no reserved-word check, unlike io_lib),
// else in single quotes with ' and \ escaped and newline as \n.  Text is
// UTF-8, as erts writes it.

function isLower(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0xdf && c <= 0xff && c !== 0xf7);
}

function isNameChar(c: number): boolean {
  return isLower(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0xc0 && c <= 0xde && c !== 0xd7) ||
    (c >= 0x30 && c <= 0x39) || c === 0x5f;
}

export function displayAtom(name: string): string {
  const cs = [...name].map((ch) => ch.codePointAt(0)!);
  if (cs.length > 0 && isLower(cs[0]!) && cs.slice(1).every(isNameChar)) return name;
  let out = "'";
  for (const ch of name) {
    if (ch === "'") out += "\\'";
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else out += ch;
  }
  return out + "'";
}
