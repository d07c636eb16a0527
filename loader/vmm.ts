// loader/vmm.ts — runs a linked image: a pvh image under QEMU, a linux
// image as an ordinary process.
//
// In:  the path of an ELF linked against xen-boot/pvh-entry.o (with
//      xen-boot/pvh.ld) or xen-boot/linux-entry.o; options (accelerator,
//      guest memory, timeout).
// Out: vmmCommand: the argv that boots it (first element the program);
//      runImage: its exit status and the exact bytes of its two consoles.
//
// The pvh channels (docs/platform.md has the whole contract):
//   guest stdout  = port 0xe9 (isa-debugcon)  -> QEMU's stdout, nothing else on it
//   guest stderr  = COM1                      -> a file, /dev/stderr by default
//   guest status  = port 0xf4 (isa-debug-exit) -> QEMU exits with (status << 1) | 1
// Which target an image is comes from its notes: a Xen PHYS32_ENTRY note
// means pvh, anything else linux (or say so with `target`).

import { spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export type Target = "pvh" | "linux";

export interface VmmOptions {
  /** "auto" (the default): autoAccel().  "kvm" is passed to QEMU even when
   *  /dev/kvm is unusable: QEMU then says why. */
  accel?: "kvm" | "tcg" | "auto";
  /** Guest RAM in MiB, default 256.  The platform needs 64 MiB free above
   *  the image, so anything under ~70 stops the guest at boot.  For linux,
   *  the heap's size (XBEAM_MEMORY_MB, at most 3072). */
  memMiB?: number;
  /** Default: read from the image (imageTarget). */
  target?: Target;
  /** runImage only: stop the guest after this long, default 120000; 0 = never. */
  timeoutMs?: number;
  /** vmmCommand only: the file that receives the guest's stderr (COM1).
   *  Default /dev/stderr, QEMU's own stderr, which must then be a tty, a
   *  pipe or a file, not a socket: QEMU reopens it by name, and Node's
   *  stdio "pipe" is a socketpair (runImage uses a temporary file). */
  errFile?: string;
}

export interface RunResult {
  status: number;
  stdout: Buffer;
  stderr: Buffer;
}

export const QEMU = "qemu-system-x86_64";
export const QBOOT = "/usr/share/qemu/qboot.rom";
const DEFAULT_MEM_MIB = 256;
const DEFAULT_TIMEOUT_MS = 120_000;

let kvmChecked: boolean | undefined;

/** /dev/kvm can be opened for reading and writing (checked once). */
export function kvmUsable(): boolean {
  if (kvmChecked === undefined) {
    try {
      closeSync(openSync("/dev/kvm", "r+"));
      kvmChecked = true;
    } catch {
      kvmChecked = false;
    }
  }
  return kvmChecked;
}

let kvmHardware: boolean | undefined;

/** The host CPU has hardware virtualization (vmx or svm), so KVM runs guest
 *  code natively.  Without it, a /dev/kvm can only be a software KVM (this
 *  project's machines run kvm_pvm), which runs our 32-bit, paging-off guest
 *  through KVM's instruction emulator: ~0.5 us per instruction, some 200
 *  times slower than TCG (docs/platform.md, "Accelerators"). */
export function kvmNative(): boolean {
  if (kvmHardware === undefined) {
    try {
      kvmHardware = /^flags\s*:.*\b(vmx|svm)\b/m.test(readFileSync("/proc/cpuinfo", "latin1"));
    } catch {
      kvmHardware = false;
    }
  }
  return kvmHardware;
}

/** What accel "auto" picks: KVM when it is usable and hardware-assisted,
 *  else TCG (faster on a software KVM, to boot and to run). */
export function autoAccel(): "kvm" | "tcg" {
  return kvmUsable() && kvmNative() ? "kvm" : "tcg";
}

// ELF constants (System V gABI; i386 psABI).
const PT_NOTE = 4;
const EM_386 = 3;
const XEN_ELFNOTE_PHYS32_ENTRY = 18;

/** Which platform an image was linked for: "pvh" if it carries Xen's
 *  PHYS32_ENTRY note in a PT_NOTE segment (what both QEMU's and Xen's PVH
 *  loaders look for), else "linux".  Throws if it is not a 32-bit x86 ELF. */
export function imageTarget(image: string): Target {
  const elf = readFileSync(image);
  if (elf.length < 52 || elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 1 || elf[5] !== 1 || elf.readUInt16LE(18) !== EM_386) {
    throw new Error(`${image}: not a 32-bit little-endian x86 ELF`);
  }
  const phoff = elf.readUInt32LE(28), phentsize = elf.readUInt16LE(42), phnum = elf.readUInt16LE(44);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (ph + 32 > elf.length || elf.readUInt32LE(ph) !== PT_NOTE) continue;
    const start = elf.readUInt32LE(ph + 4), end = Math.min(start + elf.readUInt32LE(ph + 16), elf.length);
    // Each note: namesz, descsz, type, then name and descriptor, each padded to 4 bytes.
    for (let n = start; n + 12 <= end; ) {
      const namesz = elf.readUInt32LE(n), descsz = elf.readUInt32LE(n + 4), type = elf.readUInt32LE(n + 8);
      const name = elf.subarray(n + 12, n + 12 + namesz);
      if (type === XEN_ELFNOTE_PHYS32_ENTRY && name.equals(Buffer.from("Xen\0", "latin1"))) return "pvh";
      n += 12 + align4(namesz) + align4(descsz);
    }
  }
  return "linux";
}

const align4 = (n: number) => (n + 3) & ~3;

/** QEMU's option parser splits values at commas; a literal comma is doubled. */
const qemuValue = (s: string) => s.replaceAll(",", ",,");

/** The argv that runs the image: QEMU for pvh, the image itself for linux. */
export function vmmCommand(image: string, opts: VmmOptions = {}): string[] {
  const target = opts.target ?? imageTarget(image);
  if (target === "linux") {
    // A bare name would be looked up in PATH.  The heap's size, when not
    // the default, comes from the environment (xen-boot/linux-entry.asm).
    const path = resolve(image);
    return opts.memMiB === undefined ? [path] : ["env", `XBEAM_MEMORY_MB=${opts.memMiB}`, path];
  }

  const accel = opts.accel ?? "auto";
  const kvm = accel === "kvm" || (accel === "auto" && autoAccel() === "kvm");
  const mem = opts.memMiB ?? DEFAULT_MEM_MIB;
  if (!Number.isInteger(mem) || mem < 1) throw new Error(`memMiB must be a positive integer, not ${mem}`);
  return [
    QEMU,
    // microvm: no PCI, a handful of ISA devices.  acpi=off saved ~14 ms
    // under KVM and ~7 ms under TCG; no other machine option measurably
    // changed boot time (docs/platform.md, "Boot times").
    "-M", "microvm,acpi=off",
    // qboot starts PVH images itself, silently (nothing on 0xe9 or COM1);
    // SeaBIOS takes ~2.7 s under this host's software KVM.
    "-bios", QBOOT,
    "-m", String(mem),
    // The host's KVM aborts on MSR 0x10a unless arch-capabilities is off.
    ...(kvm ? ["-accel", "kvm", "-cpu", "host,-arch-capabilities"] : ["-accel", "tcg"]),
    "-nographic", "-nodefaults", "-no-user-config",
    // A triple fault would otherwise reset the VM and run the image again.
    "-no-reboot",
    "-chardev", "stdio,id=out",
    "-device", "isa-debugcon,iobase=0xe9,chardev=out",
    "-chardev", `file,id=err,path=${qemuValue(opts.errFile ?? "/dev/stderr")},append=on`,
    "-serial", "chardev:err",
    "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
    "-kernel", image,
  ];
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: Buffer;
  timedOut: boolean;
  spawnError?: Error;
}

/** Runs argv to its end.  stdout goes to the file outFile rather than to a
 *  pipe: the debugcon hands QEMU one byte per write(2), and Node reading a
 *  pipe in such slivers took twice as long as QEMU writing them. */
function execute(argv: string[], outFile: string, timeoutMs: number): Promise<Exit> {
  return new Promise((resolve) => {
    const outFd = openSync(outFile, "w");
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ["ignore", outFd, "pipe"] });
    closeSync(outFd);
    const err: Buffer[] = [];
    let timedOut = false, spawnError: Error | undefined;
    child.stderr!.on("data", (b: Buffer) => err.push(b)); // stdio[2] is "pipe"
    const timer = timeoutMs > 0 ? setTimeout(() => { timedOut = true; child.kill("SIGKILL"); }, timeoutMs) : undefined;
    child.on("error", (e) => { spawnError = e; });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const stdout = readFileSync(outFile);
      resolve({ code, signal, stdout, stderr: Buffer.concat(err), timedOut, ...(spawnError ? { spawnError } : {}) });
    });
  });
}

/** A QEMU error (as opposed to a warning) on its own stderr: QEMU then
 *  exits with 1, which a guest exit status of 0 also gives. */
function qemuError(stderr: Buffer): string | undefined {
  return stderr.toString("utf8").split("\n").find((l) => l.startsWith(`${QEMU}: `) && !l.includes(": warning: "));
}

/** Runs the image to its end.  status: the guest's exit status, or 1 with
 *  one line "xbeam: IMAGE: ..." at the end of stderr when it did not give
 *  one (QEMU failed, the VM triple-faulted, a signal, the timeout).
 *  stdout: the guest's bytes, untouched.  stderr: the guest's, then QEMU's
 *  own messages, then that line.  Under QEMU only statuses 0..127 survive
 *  (the exit code is (status << 1) | 1, truncated to 8 bits). */
export async function runImage(image: string, opts: VmmOptions = {}): Promise<RunResult> {
  const target = opts.target ?? imageTarget(image);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fail = (r: Exit, why: string, guestErr = Buffer.alloc(0)): RunResult => ({
    status: 1,
    stdout: r.stdout,
    stderr: Buffer.concat([guestErr, r.stderr, Buffer.from(`xbeam: ${image}: ${why}\n`)]),
  });

  const dir = mkdtempSync(join(tmpdir(), "xbeam-vmm-"));
  try {
    const outFile = join(dir, "stdout"), errFile = join(dir, "com1");
    if (target === "linux") {
      const r = await execute(vmmCommand(image, { ...opts, target }), outFile, timeoutMs);
      if (r.spawnError) return fail(r, `cannot run: ${r.spawnError.message}`);
      if (r.timedOut) return fail(r, `no exit after ${timeoutMs} ms; killed`);
      if (r.signal) return fail(r, `killed by ${r.signal}`);
      return { status: r.code ?? 1, stdout: r.stdout, stderr: r.stderr };
    }

    const r = await execute(vmmCommand(image, { ...opts, target, errFile }), outFile, timeoutMs);
    let guestErr = Buffer.alloc(0);
    try { guestErr = readFileSync(errFile); } catch { /* QEMU never got as far as opening it */ }
    if (r.spawnError) return fail(r, `cannot run ${QEMU}: ${r.spawnError.message}`, guestErr);
    if (r.timedOut) return fail(r, `no exit after ${timeoutMs} ms; stopped the VM`, guestErr);
    if (r.signal) return fail(r, `${QEMU} killed by ${r.signal}`, guestErr);
    const code = r.code ?? 0;
    const error = code === 1 ? qemuError(r.stderr) : undefined;
    if (error !== undefined) return fail(r, `${QEMU} failed: ${error.slice(QEMU.length + 2)}`, guestErr);
    if (code % 2 === 1) return { status: (code - 1) >> 1, stdout: r.stdout, stderr: Buffer.concat([guestErr, r.stderr]) };
    return fail(r, `the VM stopped without an exit status (${QEMU} exit ${code}: a triple fault?)`, guestErr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
