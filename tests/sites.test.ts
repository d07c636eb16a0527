// The call-site table of an image (docs/abi.md, "Stack traces"): the
// runtime finds a return address in it by binary search, so it must be in
// address order, and every entry must point into the code.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CACHE, ROOT } from "./helpers/erl.js";

const DIR = join(CACHE, "sites");

/** A section's words, from objdump's hex dump. */
function sectionWords(image: string, section: string): number[] {
  const dump = execFileSync("objdump", ["-s", "-j", section, image], { maxBuffer: 1 << 28 }).toString();
  const words: number[] = [];
  for (const line of dump.split("\n")) {
    const m = /^ ([0-9a-f]+) ((?:[0-9a-f]{8} ?){1,4})/.exec(line);
    if (!m) continue;
    for (const w of m[2]!.trim().split(" ")) words.push(Buffer.from(w, "hex").readUInt32LE(0));
  }
  return words;
}

/** [start, end) of a section, from objdump's header table. */
function sectionRange(image: string, section: string): [number, number] {
  const headers = execFileSync("objdump", ["-h", image]).toString();
  const m = new RegExp(`\\s${section.replace(".", "\\.")}\\s+([0-9a-f]+)\\s+([0-9a-f]+)`).exec(headers);
  if (!m) throw new Error(`no ${section} in ${image}`);
  const size = parseInt(m[1]!, 16), start = parseInt(m[2]!, 16);
  return [start, start + size];
}

describe("the call-site table", () => {
  mkdirSync(DIR, { recursive: true });
  execFileSync("erlc", ["-o", DIR, join(ROOT, "tests/programs/stacktraces.erl")]);

  it.each(["linux", "pvh"] as const)("is sorted by return address, each one in the code and 4-aligned (%s)", (target) => {
    const image = join(DIR, `stacktraces.${target}.elf`);
    const b = spawnSync("node", [join(ROOT, "dist/cli/xbeam.js"), "build", "-o", image, "--target", target, join(DIR, "stacktraces.beam")], { encoding: "latin1" });
    expect(b.status, b.stderr).toBe(0);
    const words = sectionWords(image, "xb_sites");
    expect(words.length % 4).toBe(0);
    expect(words.length / 4).toBeGreaterThan(1000); // every call in every module of the image
    const [textStart, textEnd] = sectionRange(image, ".text");
    let unsorted = 0, outside = 0, unaligned = 0;
    for (let i = 0; i < words.length; i += 4) {
      const ret = words[i]!;
      if (i > 0 && ret <= words[i - 4]!) unsorted++;
      if (ret <= textStart || ret > textEnd) outside++;
      if (ret % 4 !== 0) unaligned++;
    }
    expect({ unsorted, outside, unaligned }).toEqual({ unsorted: 0, outside: 0, unaligned: 0 });
  }, 120_000);
});
