// loader/paths.ts — where the repository's own files are, from compiled or source code.
//
// In: nothing.  Out: the repository root (the folder with package.json
// above this file), whether this runs as dist/loader/paths.js or, under the
// tests, as loader/paths.ts.

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("xbeam: cannot find the repository root");
    dir = up;
  }
  return dir;
}

export const ROOT = findRoot();
export const RUNTIME_DIR = join(ROOT, "runtime-asm");
export const BOOT_DIR = join(ROOT, "xen-boot");
export const RUNTIME_ERL_DIR = join(ROOT, "runtime-erl");
/** Built artefacts that a fresh clone rebuilds (outside git). */
export const CACHE_DIR = join(ROOT, ".cache");
