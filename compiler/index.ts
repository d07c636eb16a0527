// compiler/index.ts — the front end's entry points.
//
// In: a path or the bytes of a .beam file.  Out: a DecodedModule (the
// container's tables plus every generic instruction), or a BeamError that
// names the file and the byte offset of the fault.

import { readFileSync } from "node:fs";
import { readBeam, type BeamFile } from "./beam-file.js";
import { decodeCode, type Instr } from "./code.js";
import { BeamError } from "./errors.js";

export interface DecodedModule {
  readonly beam: BeamFile;
  readonly code: readonly Instr[];
}

/** Reads and decodes a .beam file's bytes.  Throws BeamError on bad input. */
export function decodeBeam(bytes: Uint8Array, file?: string): DecodedModule {
  const beam = readBeam(bytes, file);
  try {
    return { beam, code: decodeCode(beam) };
  } catch (e) {
    if (e instanceof BeamError) e.file ??= file;
    throw e;
  }
}

/** Reads a .beam file from disk.  An unreadable file is a BeamError at byte 0. */
export function decodeBeamFile(path: string): DecodedModule {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new BeamError(0, `cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`, path);
  }
  return decodeBeam(bytes, path);
}

export { BeamError };
