// loader/build.ts — from .beam files to a bootable image.
//
// In:  .beam files and ebin directories, an entry M:F (arity 0, or 1: it
//      gets the command line's plain arguments), a target (linux: a static
//      i386 ELF; pvh: an ELF with the PVH note).
// Out: the image file.  Steps:
//   1. decode every module (compiler/);
//   2. emit each module's assembly (emitter/), sharing one atom table: the
//      runtime's fixed atoms first, then every atom as the emitter meets it;
//   3. write image.asm: the atom tables (text and printed form) and the
//      entry point;
//   4. assemble everything with nasm and link it with ld, the runtime
//      (runtime-asm/) and the target's start-of-day code (xen-boot/).
// Modules that the inputs call and do not provide are pulled in from the
// installed OTP (every lib/*/ebin of the erl on PATH), transitively.  Calls
// to functions that no module in the image defines go to stubs that raise
// undef at run time, as in BEAM.

import { execFile, execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { decodeBeamFile, type DecodedModule } from "../compiler/index.js";
import { FIXED_ATOMS } from "../emitter/abi.js";
import { displayAtom } from "../emitter/atoms.js";
import { FUNCTION_BIFS, GUARD_BIFS, guardWrapper } from "../emitter/bifs.js";
import { atomTerm, DYNAMIC_ATOMS, MAX_ATOMS } from "../emitter/abi.js";
import { emitModule, type Linkage } from "../emitter/emit.js";
import { functionSymbol, mangle } from "../emitter/names.js";
import { BOOT_DIR, CACHE_DIR, RUNTIME_DIR, RUNTIME_ERL_DIR } from "./paths.js";
import { reachable } from "./reach.js";

export type Target = "linux" | "pvh";

export interface BuildOptions {
  readonly inputs: readonly string[];
  readonly output: string;
  readonly target: Target;
  /** "Mod:Fun"; the default is main/0 of the first input module. */
  readonly entry?: string;
  /** Where the intermediate files go; default: OUTPUT.build/ */
  readonly workDir?: string;
  /** Data instructions as calls to one generic routine, for comparison. */
  readonly generic?: boolean;
  /** Folders of Erlang sources compiled (erlc, cached) and added as inputs,
   *  beside runtime-erl/ (the test runner's stand-ins, for example). */
  readonly erlDirs?: readonly string[];
  /** OTP modules never pulled in: calls to them raise undef at run time. */
  readonly cut?: readonly string[];
  /** Files embedded read-only in the image: their absolute path in the
   *  image's file system (runtime-erl/xbeam_file.erl) and where they are now. */
  readonly dataFiles?: readonly DataFile[];
}

export interface DataFile {
  readonly name: string;
  readonly path: string;
}

export class BuildError extends Error {}

export interface BuildResult {
  /** Every module in the image, inputs first. */
  readonly modules: readonly string[];
  /** Per module, the instructions compiled to traps (not supported yet). */
  readonly unsupported: ReadonlyMap<string, ReadonlyMap<string, number>>;
  /** Where the generated assembly and objects are. */
  readonly workDir: string;
}

let otpIndex: Map<string, string> | undefined;

/** Module name -> .beam path, for every lib/*\/ebin of the installed OTP. */
function otpModules(): Map<string, string> {
  if (otpIndex) return otpIndex;
  otpIndex = new Map();
  let erl: string;
  try {
    erl = realpathSync(execFileSync("sh", ["-c", "command -v erl"]).toString().trim());
  } catch {
    return otpIndex; // no OTP installed: nothing to pull in
  }
  const lib = join(dirname(dirname(erl)), "lib");
  for (const app of existsSync(lib) ? readdirSync(lib).sort() : []) {
    const ebin = join(lib, app, "ebin");
    if (!existsSync(ebin)) continue;
    for (const f of readdirSync(ebin)) if (f.endsWith(".beam") && !otpIndex.has(f.slice(0, -5))) otpIndex.set(f.slice(0, -5), join(ebin, f));
  }
  return otpIndex;
}

/** The Erlang modules of a folder (runtime-erl/ and the like), compiled
 *  with erlc once per content into the cache. */
export function erlBeams(srcDir: string): string[] {
  const sources = readdirSync(srcDir).filter((n) => n.endsWith(".erl")).sort();
  const hash = createHash("sha256").update("compiled in the folder, file names relative\n");
  for (const n of sources) hash.update(n).update(readFileSync(join(srcDir, n)));
  const dir = join(CACHE_DIR, "runtime-erl", hash.digest("hex").slice(0, 16));
  if (!existsSync(dir)) {
    const tmp = `${dir}.${process.pid}.tmp`;
    mkdirSync(tmp, { recursive: true });
    try {
      // From inside the folder: stack traces name "ct.erl", not a path of this machine.
      execFileSync("erlc", ["-o", resolve(tmp), ...sources], { cwd: srcDir, stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      const out = e as { stdout?: Buffer; stderr?: Buffer };
      throw new BuildError(`erlc failed on ${srcDir}: ${`${out.stdout?.toString() ?? ""}${out.stderr?.toString() ?? ""}`.trim() || String(e)}`);
    }
    try {
      renameSync(tmp, dir);
    } catch {
      // Another build got there first: its files are the same.
    }
  }
  return sources.map((n) => join(dir, n.replace(/\.erl$/, ".beam")));
}

const RUNTIME_SOURCES = ["start.asm", "gc.asm", "print.asm", "compare.asm", "errors.asm", "bifs.asm", "apply.asm", "lists.asm", "convert.asm", "generic.asm", "atoms.asm", "bignum.asm", "process.asm", "console.asm", "maps.asm", "binary.asm", "timers.asm", "pterm.asm", "datafs.asm", "bits.asm", "float.asm", "etf.asm", "termparts.asm", "checksum.asm", "deflate.asm", "maphash.asm", "trace.asm", "refc.asm"];

function beamPaths(inputs: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of inputs) {
    if (statSync(p).isDirectory()) {
      for (const n of readdirSync(p).sort()) if (n.endsWith(".beam")) out.push(join(p, n));
    } else out.push(p);
  }
  return out;
}

class AtomTable {
  readonly names: string[] = [...FIXED_ATOMS];
  private readonly index = new Map<string, number>(this.names.map((n, i) => [n, i]));

  get(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
    }
    return i;
  }
}

/** A NASM string of bytes: dd length, then db ... */
function counted(label: string, text: string): string {
  const bytes = Buffer.from(text, "utf8");
  return `${label}: dd ${bytes.length}${bytes.length ? `\n  db ${Array.from(bytes).join(",")}` : ""}`;
}

/** FNV-1a over the UTF-8 text: the hash of xb_atom_hash, as runtime-asm/atoms.asm computes it. */
function atomHash(name: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(name, "utf8")) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/** xb_atom_hash: the image's atoms by text, open addressing, at most half
 *  full; a slot holds the atom's index + 1 (0: empty). */
function atomHashTable(names: readonly string[]): string[] {
  let size = 16;
  while (size < 2 * names.length) size *= 2;
  const slots = new Array<number>(size).fill(0);
  names.forEach((n, i) => {
    let k = atomHash(n) & (size - 1);
    while (slots[k] !== 0) k = (k + 1) & (size - 1);
    slots[k] = i + 1;
  });
  const rows: string[] = ["align 4", `xb_atom_hash_mask: dd ${size - 1}`, "xb_atom_hash:"];
  for (let k = 0; k < size; k += 16) rows.push(`  dd ${slots.slice(k, k + 16).join(", ")}`);
  return rows;
}

interface ExportEntry {
  readonly m: string;
  readonly f: string;
  readonly a: number;
  readonly symbol: string;
}

/** The build-time hash of an exported function, as runtime-asm/apply.asm computes it. */
function exportHash(m: number, f: number, a: number): number {
  return (Math.imul(Math.imul(m, 31) + f | 0, 31) + a) >>> 0;
}

/** xb_export_table: open addressing, at most half full. */
function exportTable(atoms: AtomTable, exports: readonly ExportEntry[]): string[] {
  let size = 16;
  while (size < 2 * exports.length) size *= 2;
  const slots: (ExportEntry | undefined)[] = new Array<ExportEntry | undefined>(size).fill(undefined);
  for (const e of exports) {
    let i = exportHash(atomTerm(atoms.get(e.m)), atomTerm(atoms.get(e.f)), e.a) & (size - 1);
    while (slots[i]) i = (i + 1) & (size - 1);
    slots[i] = e;
  }
  return [
    "align 4",
    `xb_export_mask: dd ${size - 1}`,
    "xb_export_table:",
    ...slots.map((e) =>
      e ? `  dd 0x${atomTerm(atoms.get(e.m)).toString(16)}, 0x${atomTerm(atoms.get(e.f)).toString(16)}, ${e.a}, ${e.symbol}` : "  dd 0, 0, 0, 0"),
  ];
}

/** Guard BIFs wrapped to be called like functions (apply, call_ext, export funs). */
function guardWrappers(): string[] {
  const out: string[] = [];
  const made = new Set<string>();
  for (const [key, sym] of Object.entries(GUARD_BIFS)) {
    if (made.has(sym)) continue; // one BIF under several names
    made.add(sym);
    const arity = Number(key.slice(key.lastIndexOf("/") + 1));
    out.push(`${guardWrapper(sym)}:`);
    if (arity === 3) out.push("  mov eax, [xb_xregs + 8]", "  mov [xb_bif_arg3], eax");
    out.push("  mov eax, [xb_xregs]");
    if (arity >= 2) out.push("  mov edx, [xb_xregs + 4]");
    out.push(`  mov ecx, ${arity}`, `  CALLA ${sym}`, "  test eax, eax", "  jz xb_raise_pending", "  mov [xb_xregs], eax", "  ret");
  }
  return out;
}

/** xb_data_files (runtime-asm/datafs.asm): a count, then per file the
 *  addresses of its name and its bytes, each {dd length; bytes}. */
function dataFileTable(files: readonly DataFile[]): string[] {
  const out = ["align 4", `xb_data_files: dd ${files.length}${files.map((_, i) => `, D.name.${i}, D.bytes.${i}`).join("")}`];
  files.forEach((f, i) => {
    out.push("align 4", counted(`D.name.${i}`, f.name), "align 4", `D.bytes.${i}: dd ${statSync(f.path).size}`, `  incbin ${JSON.stringify(f.path)}`);
  });
  return out;
}

/** init:get_plain_arguments/0, as runtime-erl/xbeam_bifs.erl has it. */
const PLAIN_ARGUMENTS = functionSymbol("xbeam_bifs", "get_plain_arguments", 0);

function imageAsm(atoms: AtomTable, entrySymbol: string, entryArity: number, funs: readonly string[], funInfo: readonly string[], catches: readonly string[], exports: readonly ExportEntry[], modules: readonly string[], dataFiles: readonly DataFile[]): string {
  // First: it may add atoms (BIF names no module mentions), which the atom
  // tables below must then hold.
  const exportLines = exportTable(atoms, exports);
  const externs = new Set([entrySymbol, "F.xbeam_5f_console.start.0", ...(entryArity === 1 ? [PLAIN_ARGUMENTS] : []), ...funs.filter((f) => f !== "0"), ...catches, ...exports.map((e) => e.symbol)]);
  for (const w of Object.values(GUARD_BIFS)) externs.delete(guardWrapper(w));
  const out = [
    "; image.asm — generated by xbeam's loader: the atom, fun, catch and export tables, the entry point.",
    `%include "macros.inc"`,
    `extern ${[...externs, ...new Set(Object.values(GUARD_BIFS)), "xb_xregs", "xb_raise_pending", "xb_bif_arg3"].join(", ")}`,
    "global xb_entry_point, xb_static_atoms, xb_atom_names_init, xb_atom_print_init, xb_fun_table, xb_catch_table",
    "global xb_atom_hash, xb_atom_hash_mask",
    "global xb_export_table, xb_export_mask, xb_module_table, xb_fun_info, xb_data_files",
    `global ${[...new Set(Object.values(GUARD_BIFS))].map(guardWrapper).join(", ")}`,
    "section .text",
    // The first process starts the console (its group leader), then runs the
    // entry (with the command line's plain arguments in x0 if it takes one).
    "xb_entry_point:",
    "  CALLA F.xbeam_5f_console.start.0",
    ...(entryArity === 1 ? [`  CALLA ${PLAIN_ARGUMENTS}`] : []),
    `  jmp ${entrySymbol}`,
    ...guardWrappers(),
    "section .rodata",
    "align 4",
    // The image's atoms.  runtime-asm/atoms.asm copies the two pointer
    // tables into xb_atom_names/xb_atom_print, which have room for atoms
    // made at run time (list_to_atom/1); the hash table finds an atom by
    // its text.
    `xb_static_atoms: dd ${atoms.names.length}`,
    `xb_atom_names_init: dd ${atoms.names.map((_, i) => `A.name.${i}`).join(", ")}`,
    `xb_atom_print_init: dd ${atoms.names.map((_, i) => `A.print.${i}`).join(", ")}`,
    ...atomHashTable(atoms.names),
    // The code of every fun, by the index that make_fun3 puts in the fun.
    `xb_fun_table: dd ${funs.length ? funs.join(", ") : "0"}`,
    // Per fun: its module, old index and old uniq (how #Fun<...> prints it).
    `xb_fun_info: dd ${funInfo.length ? funInfo.join(", ") : "0"}`,
    // Catch handlers, by the index a catch tag carries.
    `xb_catch_table: dd ${catches.length ? catches.join(", ") : "0"}`,
    ...exportLines,
    // The modules in the image (erlang:module_loaded/1): a count, then their atoms.
    `xb_module_table: dd ${modules.length}${modules.map((m) => `, 0x${atomTerm(atoms.get(m)).toString(16)}`).join("")}`,
    ...dataFileTable(dataFiles),
  ];
  atoms.names.forEach((n, i) => out.push("align 4", counted(`A.name.${i}`, n), "align 4", counted(`A.print.${i}`, displayAtom(n))));
  return out.join("\n") + "\n";
}

/** The module's checksum as BEAM's loader computes it (module_info(md5),
 *  a fun's new_uniq): MD5 over the AtU8, Code, StrT, ImpT and ExpT chunks,
 *  FunT with every OldUniq field zeroed, then LitT and Meta. */
function moduleMd5(m: DecodedModule): Buffer {
  const chunk = (id: string) => {
    const c = m.beam.chunks.find((k) => k.id === id);
    return c ? m.beam.bytes.subarray(c.offset, c.offset + c.size) : new Uint8Array(0);
  };
  const md5 = createHash("md5");
  for (const id of ["AtU8", "Code", "StrT", "ImpT", "ExpT"]) md5.update(chunk(id));
  const funT = Buffer.from(chunk("FunT"));
  for (let at = 4 + 20; at + 4 <= funT.length; at += 24) funT.fill(0, at, at + 4);
  md5.update(funT);
  md5.update(chunk("LitT"));
  md5.update(chunk("Meta"));
  return md5.digest();
}

/** After image.asm's tables: the number of lambdas (xb_fun_count) and the
 *  modules' checksums that xb_fun_info points at (runtime-asm/termparts.asm). */
function funExtras(count: number, md5s: readonly Buffer[]): string {
  const out = ["section .rodata", "align 4", "global xb_fun_count", `xb_fun_count: dd ${count}`];
  md5s.forEach((b, i) => out.push(`FM.${i}: db ${Array.from(b).join(",")}`));
  return out.join("\n") + "\n";
}

function run(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { maxBuffer: 1 << 26 }, (e, _stdout, stderr) => {
      if (e) reject(new BuildError(`${cmd} failed: ${stderr.toString().trim() || e.message}`));
      else resolve();
    });
  });
}

/** Runs the jobs, at most one per CPU at a time. */
async function pool(jobs: (() => Promise<void>)[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) await jobs[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(availableParallelism(), jobs.length) }, worker));
}

const isBuiltin = (m: string, f: string, a: number) => FUNCTION_BIFS[`${m}:${f}/${a}`] !== undefined;

export async function build(opts: BuildOptions): Promise<BuildResult> {
  const inputs: DecodedModule[] = beamPaths(opts.inputs).map((p) => decodeBeamFile(p));
  if (inputs.length === 0) throw new BuildError("no .beam files given");
  const given = new Set(inputs.map((m) => m.beam.module));
  // The runtime's own Erlang (runtime-erl/, not the folders the options add):
  // stack traces leave its frames out, as BEAM's have no frames for its C.
  const runtimeModules = new Set<string>();
  for (const dir of [RUNTIME_ERL_DIR, ...(opts.erlDirs ?? [])]) {
    for (const p of erlBeams(dir)) {
      const m = decodeBeamFile(p);
      if (dir === RUNTIME_ERL_DIR) runtimeModules.add(m.beam.module);
      if (!given.has(m.beam.module)) inputs.push(m);
      given.add(m.beam.module);
    }
  }
  const cut = new Set(opts.cut ?? []);
  const found = (name: string) => {
    const path = cut.has(name) ? undefined : otpModules().get(name);
    return path ? decodeBeamFile(path) : undefined;
  };
  const { modules, functions } = reachable(inputs, found, isBuiltin);
  const byName = new Map(modules.map((m) => [m.beam.module, m]));
  const has = (m: string, f: string, a: number) => functions.get(m)?.has(`${f}/${a}`) ?? false;

  const [entryMod, entryFun] = (opts.entry ?? `${modules[0]!.beam.module}:main`).split(":") as [string, string | undefined];
  const em = byName.get(entryMod);
  // Arity 0, or else 1: called with init:get_plain_arguments(), the
  // command line's words, as `erl -run Mod Fun Args...` calls Mod:Fun(Args).
  const entryArity = [0, 1].find((a) => em?.beam.exports.some((e) => e.name === entryFun && e.arity === a));
  if (!em || !entryFun || entryArity === undefined) {
    throw new BuildError(`the entry ${entryMod}:${entryFun ?? "?"}/0 is not an exported function of the inputs (nor /1)`);
  }

  const atoms = new AtomTable();
  // Every module's lambdas, numbered across the image.
  const funs: string[] = [];
  const funInfo: string[] = [];
  const funMd5s: Buffer[] = [];
  const funBase = new Map<string, number>();
  for (const m of modules) {
    funBase.set(m.beam.module, funs.length);
    // Per lambda, 6 words (FUN_INFO_BYTES in runtime-asm/termparts.asm;
    // compare.asm and print.asm read the first three): module, old index,
    // old uniq, new index (FunT's), name, the module's md5 (BEAM's new_uniq).
    const md5 = `FM.${funMd5s.push(moduleMd5(m)) - 1}`;
    m.beam.lambdas.forEach((l, k) => funInfo.push(`0x${atomTerm(atoms.get(m.beam.module)).toString(16)}, ${k}, ${l.oldUniq}, ${l.index}, 0x${atomTerm(atoms.get(l.name)).toString(16)}, ${md5}`));
    for (const l of m.beam.lambdas) funs.push(has(m.beam.module, l.name, l.arity) ? functionSymbol(m.beam.module, l.name, l.arity) : "0");
  }
  const catches: string[] = [];
  const link: Linkage = {
    catchIndex: (symbol) => catches.push(symbol) - 1,
    funIndex: (module, lambda) => funBase.get(module)! + lambda,
    atom: (name) => atoms.get(name),
    override: (m, f, a) => FUNCTION_BIFS[`${m}:${f}/${a}`] ?? null,
    hidden: (m) => runtimeModules.has(m),
    isBif: (m, f, a) => FUNCTION_BIFS[`${m}:${f}/${a}`] !== undefined || (m === "erlang" && GUARD_BIFS[`${f}/${a}`] !== undefined),
    callTarget: (m, f, a) => {
      const bif = FUNCTION_BIFS[`${m}:${f}/${a}`];
      if (bif) return bif;
      const mod = byName.get(m);
      if (has(m, f, a) && mod?.beam.exports.some((e) => e.name === f && e.arity === a)) return functionSymbol(m, f, a);
      const guard = m === "erlang" ? GUARD_BIFS[`${f}/${a}`] : undefined;
      return FUNCTION_BIFS[`${m}:${f}/${a}`] ?? (guard ? guardWrapper(guard) : null);
    },
    guardBif: (name, arity) => GUARD_BIFS[`${name}/${arity}`] ?? null,
  };

  const work = opts.workDir ?? `${opts.output}.build`;
  mkdirSync(work, { recursive: true });
  const objects: string[] = [];
  const jobs: (() => Promise<void>)[] = [];
  // -O1: nasm's default multi-pass jump sizing (-Ox) takes time that grows
  // faster than the file (16 s against 0.7 s on a module of 80,000 lines)
  // for about 8% less code.
  const assemble = (src: string, name: string) => {
    const obj = join(work, `${name}.o`);
    jobs.push(() => run("nasm", ["-O1", "-f", "elf32", "-I", `${RUNTIME_DIR}/`, "-o", obj, src]));
    objects.push(obj);
  };

  const unsupported = new Map<string, ReadonlyMap<string, number>>();
  for (const m of modules) {
    const src = join(work, `mod_${mangle(m.beam.module)}.asm`);
    const emitted = emitModule(m, link, { generic: opts.generic, functions: functions.get(m.beam.module) });
    if (emitted.unsupported.size > 0) unsupported.set(m.beam.module, emitted.unsupported);
    writeFileSync(src, emitted.asm);
    assemble(src, basename(src, ".asm"));
  }
  const image = join(work, "image.asm");
  if (atoms.names.length + DYNAMIC_ATOMS > MAX_ATOMS) {
    throw new BuildError(`${atoms.names.length} atoms: more than the runtime's table holds (${MAX_ATOMS - DYNAMIC_ATOMS})`);
  }
  // Everything apply can reach: exported functions and the BIFs.
  const exports: ExportEntry[] = modules.flatMap((m) =>
    m.beam.exports
      .filter((e) => FUNCTION_BIFS[`${m.beam.module}:${e.name}/${e.arity}`] === undefined && has(m.beam.module, e.name, e.arity))
      .map((e) => ({ m: m.beam.module, f: e.name, a: e.arity, symbol: functionSymbol(m.beam.module, e.name, e.arity) })));
  for (const [key, symbol] of Object.entries(FUNCTION_BIFS)) {
    const [m, rest] = [key.slice(0, key.indexOf(":")), key.slice(key.indexOf(":") + 1)];
    exports.push({ m, f: rest.slice(0, rest.lastIndexOf("/")), a: Number(rest.slice(rest.lastIndexOf("/") + 1)), symbol });
  }
  for (const [key, symbol] of Object.entries(GUARD_BIFS)) {
    exports.push({ m: "erlang", f: key.slice(0, key.lastIndexOf("/")), a: Number(key.slice(key.lastIndexOf("/") + 1)), symbol: guardWrapper(symbol) });
  }
  writeFileSync(image, imageAsm(atoms, functionSymbol(entryMod, entryFun, entryArity), entryArity, funs, funInfo, catches, exports, ["erlang", ...modules.map((m) => m.beam.module)], opts.dataFiles ?? []) + funExtras(funs.length, funMd5s));
  assemble(image, "image");
  for (const r of RUNTIME_SOURCES) assemble(join(RUNTIME_DIR, r), `rt_${basename(r, ".asm")}`);

  const boot = opts.target === "pvh" ? "pvh" : "linux";
  assemble(join(BOOT_DIR, `${boot}-entry.asm`), `boot_${boot}`);
  const script = join(BOOT_DIR, `${boot}.ld`);
  // The pvh image is one read/write/execute segment on purpose (paging is off).
  const layout = existsSync(script) ? ["-T", script, "--no-warn-rwx-segments"] : ["-e", "_start"];
  await pool(jobs);
  await run("ld", ["-m", "elf_i386", "-static", ...layout, "-o", opts.output, ...objects]);
  return { modules: modules.map((m) => m.beam.module), unsupported, workDir: work };
}
