#!/usr/bin/env node
// cli/xbeam.ts — the `xbeam` command line.
//
// In: argv.  Out: the chosen command's output on stdout, diagnostics on
// stderr, and an exit status (0 success, 1 bad input, 2 usage).
// Commands:
//   disasm [--format text|erlang] FILE.beam|DIR...

import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { Command, Option } from "commander";
import { decodeBeamFile } from "../compiler/index.js";
import { BeamError } from "../compiler/errors.js";
import { DisasmError, disasmFunctions } from "../compiler/disasm-erlang.js";
import { disasmText } from "../compiler/disasm-text.js";
import { writeTerm } from "../compiler/write-term.js";

/** The .beam files named by the arguments: files as given, directories searched, sorted. */
function beamFiles(inputs: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (name.endsWith(".beam")) out.push(p);
    }
  };
  for (const p of inputs) {
    let isDir = false;
    try {
      isDir = statSync(p).isDirectory();
    } catch {
      // Not there: decodeBeamFile reports it as an unreadable file.
    }
    if (isDir) walk(p);
    else out.push(p);
  }
  return out;
}

function disasmOne(path: string, format: string): string {
  const { beam, code } = decodeBeamFile(path);
  try {
    if (format === "erlang") return disasmFunctions(beam, code).map((f) => writeTerm(f) + ".\n").join("");
    return disasmText(beam, code);
  } catch (e) {
    if (e instanceof DisasmError) throw new BeamError(e.offset, e.message, path);
    throw e;
  }
}

function disasm(inputs: string[], opts: { format: string }): void {
  let failed = false;
  for (const path of beamFiles(inputs)) {
    try {
      // ~w output is latin-1: every character is below 256.
      process.stdout.write(Buffer.from(disasmOne(path, opts.format), "latin1"));
    } catch (e) {
      if (!(e instanceof BeamError)) throw e;
      process.stderr.write(`xbeam: ${e.oneLine()}\n`);
      failed = true;
    }
  }
  if (failed) process.exitCode = 1;
}

const program = new Command();
program
  .name("xbeam")
  .description("Ahead-of-time compiler from Erlang BEAM files to 32-bit x86 images")
  .version("0.1.0");

program
  .command("disasm")
  .description("disassemble .beam files (directories are searched for them)")
  .addOption(
    new Option("--format <format>", "text, or erlang for exactly what beam_disasm:file/1 shows with ~w")
      .choices(["text", "erlang"])
      .default("text"),
  )
  .argument("<inputs...>", ".beam files or directories")
  .action(disasm);

program.exitOverride((err) => {
  process.exit(err.exitCode === 0 ? 0 : 2);
});

try {
  program.parse();
} catch (e) {
  // Anything that escapes is a bug in xbeam, not bad input: say so briefly.
  process.stderr.write(`xbeam: internal error: ${(e as Error).message}\n`);
  process.exit(70);
}
