#!/usr/bin/env node
// cli/xbeam.ts — the `xbeam` command line.
//
// In: argv.  Out: the chosen command's output on stdout, diagnostics on
// stderr, and an exit status (0 success, 1 bad input, 2 usage).
// Commands:
//   disasm [--format text|erlang] FILE.beam|DIR...
//   build -o OUT [--target pvh|linux] [--entry Mod:Fun] INPUT...
//   run [--target pvh|linux] [--vmm qemu|xen-dom0|xen-guest] [--entry Mod:Fun] [--cmdline WORDS] [--dry-run] INPUT...|IMAGE
//   test-suite [--data-dir DIR] [--target pvh|linux] [--vmm qemu|xen-dom0|xen-guest] SUITE.beam [HELPER.beam...]

import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Target } from "../loader/build.js";
import { VMMS, type Vmm } from "../loader/vmm.js";
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

interface BuildFlags {
  target: Target;
  entry?: string;
  generic?: boolean;
}

/** Builds, turning the errors a user can cause into one line and status 1. */
async function buildOrExit(inputs: string[], output: string, flags: BuildFlags): Promise<void> {
  // Loaded on demand: `disasm` should not pay for the code generator at start-up.
  const { build, BuildError } = await import("../loader/build.js");
  try {
    const r = await build({ inputs, output, target: flags.target, entry: flags.entry, generic: flags.generic });
    if (r.unsupported.size > 0) {
      // One line here; the list, module by module, beside the assembly.
      const report = [...r.unsupported].map(([mod, ops]) =>
        `${mod}: ${[...ops].map(([op, n]) => (n > 1 ? `${op} x${n}` : op)).join(", ")}\n`).join("");
      writeFileSync(join(r.workDir, "unsupported.txt"), report);
      const total = [...r.unsupported.values()].reduce((n, ops) => n + [...ops.values()].reduce((a, b) => a + b, 0), 0);
      process.stderr.write(`xbeam: warning: ${total} instructions in ${r.unsupported.size} of ${r.modules.length} modules are not supported yet ` +
        `and raise error:{xbeam_unsupported,Op} if reached (${join(r.workDir, "unsupported.txt")})\n`);
    }
  } catch (e) {
    if (e instanceof BuildError || e instanceof BeamError) {
      process.stderr.write(`xbeam: ${e instanceof BeamError ? e.oneLine() : e.message}\n`);
      process.exit(1);
    }
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT" || err.code === "EACCES") {
      process.stderr.write(`xbeam: ${err.path ?? "?"}: cannot read (${err.code})\n`);
      process.exit(1);
    }
    throw e;
  }
}

/** Is this file an image (an ELF executable) rather than a .beam file or a directory? */
function isImage(path: string): boolean {
  try {
    if (statSync(path).isDirectory()) return false;
    const head = readFileSync(path).subarray(0, 4);
    return head[0] === 0x7f && head.toString("latin1", 1, 4) === "ELF";
  } catch {
    return false;
  }
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=,+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

async function runCommand(inputs: string[], flags: BuildFlags & { dryRun?: boolean; vmm: Vmm; cmdline?: string }): Promise<void> {
  let image: string;
  let scratch: string | undefined;
  if (inputs.length === 1 && isImage(inputs[0]!)) {
    image = inputs[0]!;
  } else {
    scratch = mkdtempSync(join(tmpdir(), "xbeam-run-"));
    image = join(scratch, `image.${flags.target}.elf`);
    await buildOrExit(inputs, image, flags);
  }
  const { runImage, vmmCommand } = await import("../loader/vmm.js");
  if (flags.dryRun) {
    // The command names the image: it stays, for the caller to run.
    process.stdout.write(vmmCommand(image, { target: flags.target, vmm: flags.vmm, cmdline: flags.cmdline }).map(shellQuote).join(" ") + "\n");
    return;
  }
  const r = await runImage(image, { target: flags.target, vmm: flags.vmm, cmdline: flags.cmdline });
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  process.exitCode = r.status;
}

/** The memory of a test-suite image, in MiB. */
const SUITE_MEM_MIB = 3072;
/** ... as Xen's dom0 under QEMU's q35, whose RAM below 4 GiB ends at
 *  2.75 GiB (paging off, the image uses no more): each GiB of dom0 costs
 *  Xen's boot about 0.15 s. */
const XEN_SUITE_MEM_MIB = 2560;

interface SuiteFlags {
  target: Target;
  dataDir?: string;
  timeout: string;
  keep?: string;
  timetrapCap?: string;
  vmm: Vmm;
}

/** Builds one image for the suites (inputs named *_SUITE.beam; the first
 *  input when none is) and their helpers, boots it, and passes on its
 *  lines, its stderr and its status. */
async function testSuiteCommand(inputs: string[], flags: SuiteFlags): Promise<void> {
  const { buildSuite, suiteName } = await import("../loader/suite.js");
  let suites = inputs.filter((p) => p.endsWith("_SUITE.beam"));
  if (suites.length === 0) suites = inputs.slice(0, 1);
  const helpers = inputs.filter((p) => !suites.includes(p));
  const timeout = Number(flags.timeout);
  if (!Number.isFinite(timeout) || timeout < 0) {
    process.stderr.write(`xbeam: --timeout ${flags.timeout}: not a number of seconds\n`);
    process.exit(2);
  }
  const scratch = mkdtempSync(join(tmpdir(), "xbeam-suite-"));
  const image = flags.keep ?? join(scratch, `suite.${flags.target}.elf`);
  const { BuildError } = await import("../loader/build.js");
  try {
    await buildSuite({
      suites, helpers, output: image, target: flags.target,
      dataDirs: flags.dataDir ? new Map([[suiteName(suites[0]!), flags.dataDir]]) : undefined,
      timetrapCap: flags.timetrapCap === undefined ? undefined : Number(flags.timetrapCap),
      warn: (line) => process.stderr.write(`xbeam: warning: ${line}\n`),
    });
  } catch (e) {
    rmSync(scratch, { recursive: true, force: true });
    if (e instanceof BuildError || e instanceof BeamError) {
      process.stderr.write(`xbeam: ${e instanceof BeamError ? e.oneLine() : e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const { runImage } = await import("../loader/vmm.js");
  // Room for the suites' big cases (tuples of 2^24 - 1 elements, memsup
  // asking for 2 GB): a 32-bit BEAM's address space, nearly.
  const memMiB = flags.vmm === "qemu" ? SUITE_MEM_MIB : XEN_SUITE_MEM_MIB;
  const r = await runImage(image, { target: flags.target, timeoutMs: timeout * 1000, memMiB, vmm: flags.vmm });
  rmSync(scratch, { recursive: true, force: true });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  if (!/^\d+ passed, \d+ failed, \d+ skipped$/m.test(r.stdout.toString("latin1"))) {
    process.stderr.write("xbeam: the suite image stopped before printing its totals\n");
    process.exitCode = r.status === 0 ? 1 : r.status;
    return;
  }
  process.exitCode = r.status;
}

const vmmOption = () =>
  new Option("--vmm <vmm>", "what boots a pvh image: qemu (microvm), xen-dom0 (Xen 4.17 under QEMU TCG, the image as dom0) or xen-guest (the image as a domain that a Linux dom0 creates)")
    .choices([...VMMS])
    .default("qemu");

const targetOption = () =>
  new Option("--target <target>", "pvh (boots under QEMU microvm) or linux (a static i386 ELF)")
    .choices(["pvh", "linux"])
    .default("pvh");

const program = new Command();
// Usage errors exit with 2 (set first: subcommands inherit it when created).
program.exitOverride((err) => {
  process.exit(err.exitCode === 0 ? 0 : 2);
});
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

program
  .command("build")
  .description("compile .beam files (and ebin directories) into one bootable image")
  .requiredOption("-o, --output <image>", "the image file to write")
  .addOption(targetOption())
  .option("--entry <Mod:Fun>", "the function to run, with arity 0, or 1 to get the command line's plain arguments (default: main of the first input)")
  .option("--generic", "emit data instructions as calls to one generic runtime routine (for comparison)")
  .argument("<inputs...>", ".beam files or ebin directories")
  .action((inputs: string[], opts: BuildFlags & { output: string }) => buildOrExit(inputs, opts.output, opts));


program
  .command("run")
  .description("build (unless given an image) and boot; exits with the program's status")
  .addOption(targetOption())
  .option("--entry <Mod:Fun>", "the function to run, with arity 0, or 1 to get the command line's plain arguments (default: main of the first input)")
  .option("--generic", "emit data instructions as calls to one generic runtime routine (for comparison)")
  .addOption(vmmOption())
  .option("--cmdline <words>", "the image's command line: init's arguments, and the entry function's if it takes one")
  .option("--dry-run", "print the exact command that would boot the image, and stop")
  .argument("<inputs...>", ".beam files, ebin directories, or one image")
  .action(runCommand);


program
  .command("test-suite")
  .description("run common_test suites inside one image: a line per case, then the totals; status 0 when none failed")
  .addOption(targetOption())
  .option("--data-dir <dir>", "the (first) suite's data directory (default: <Suite>_data beside its .beam)")
  .option("--timeout <seconds>", "stop the VM after this long (0: never)", "3600")
  .option("--keep <image>", "write the image here and keep it")
  .option("--timetrap-cap <seconds>", "no case's timetrap is longer than this")
  .addOption(vmmOption())
  .argument("<inputs...>", "SUITE.beam files, then helper .beam files")
  .action(testSuiteCommand);

program.parseAsync().catch((e: unknown) => {
  // Anything that escapes is a bug in xbeam, not bad input: say so briefly.
  process.stderr.write(`xbeam: internal error: ${(e as Error).message}\n`);
  process.exit(70);
});
