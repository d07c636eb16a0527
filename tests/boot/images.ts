// tests/boot/images.ts — builds the small platform test programs into images.
//
// In:  a program in tests/boot/ (NAME.asm, which defines xb_main), a target,
//      an output directory, optional nasm -D defines.
// Out: the path of the linked image: the program with the target's
//      platform object (xen-boot/pvh-entry.asm or linux-entry.asm), linked
//      the way docs/platform.md says.  Used by tests/boot.test.ts and
//      bench/boot.ts; real nasm and ld (the platform object is assembled once
//      per output directory, again when its source is newer).

import { execFileSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Target } from "../../loader/vmm.js";

/** The repository root: the nearest directory above this file with a
 *  package.json (this file also runs compiled, from dist/tests/boot/). */
export const repoRoot: string = (() => {
  for (let d = dirname(fileURLToPath(import.meta.url)); ; d = dirname(d)) {
    if (existsSync(join(d, "package.json"))) return d;
    if (dirname(d) === d) throw new Error("no package.json above tests/boot/images");
  }
})();

function run(argv: string[]): void {
  try {
    execFileSync(argv[0]!, argv.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString() ?? "";
    throw new Error(`${argv.join(" ")} failed:\n${stderr}`);
  }
}

function assemble(source: string, object: string, defines: Record<string, string | number> = {}): void {
  run(["nasm", "-f", "elf32", ...Object.entries(defines).map(([k, v]) => `-D${k}=${v}`), "-o", object, source]);
}

/** The ld command line for a target (docs/platform.md, "Linking"). */
export function linkCommand(target: Target, out: string, objects: string[]): string[] {
  return target === "pvh"
    ? ["ld", "-m", "elf_i386", "--no-warn-rwx-segments", "-T", join(repoRoot, "xen-boot/pvh.ld"), "-o", out, ...objects]
    : ["ld", "-m", "elf_i386", "-o", out, ...objects];
}

/** Assembles tests/boot/NAME.asm and links it for the target into outDir;
 *  `tag` tells apart builds of one program with different defines. */
export function buildImage(
  name: string,
  target: Target,
  outDir: string,
  defines: Record<string, string | number> = {},
  tag = "",
): string {
  const platform = join(outDir, `${target}-entry.o`);
  const source = join(repoRoot, `xen-boot/${target}-entry.asm`);
  if (!existsSync(platform) || statSync(platform).mtimeMs < statSync(source).mtimeMs) assemble(source, platform);
  const object = join(outDir, `${name}${tag}.o`);
  assemble(join(repoRoot, `tests/boot/${name}.asm`), object, defines);
  const image = join(outDir, `${name}${tag}.${target}`);
  run(linkCommand(target, image, [platform, object]));
  return image;
}
