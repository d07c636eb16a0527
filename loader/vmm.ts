// loader/vmm.ts — runs a linked image: a pvh image under QEMU, a linux
// image as an ordinary process.
//
// In:  the path of an ELF linked against xen-boot/pvh-entry.o (with
//      xen-boot/pvh.ld) or xen-boot/linux-entry.o; options (accelerator,
//      guest memory, timeout).
// Out: vmmCommand: the argv that boots it (first element the program);
//      runImage: its exit status and the exact bytes of its two consoles.
//
// Under Xen (vmm "xen-dom0" or "xen-guest"), Xen runs under QEMU's TCG
// and the channels are Xen's: see xenDom0Command and xenGuestCommand.
// The pvh channels under QEMU alone (docs/platform.md has the whole contract):
//   guest stdout  = port 0xe9 (isa-debugcon)  -> QEMU's stdout, nothing else on it
//   guest stderr  = COM1                      -> a file, /dev/stderr by default
//   guest status  = port 0xf4 (isa-debug-exit) -> QEMU exits with (status << 1) | 1
// Which target an image is comes from its notes: a Xen PHYS32_ENTRY note
// means pvh, anything else linux (or say so with `target`).

import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { ROOT } from "./paths.js";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export type Target = "pvh" | "linux";

/** What boots a pvh image: QEMU's own PVH loader (microvm + qboot), or the
 *  real Xen hypervisor under QEMU (TCG), the image being its PVH dom0 or a
 *  PVH guest domain that a Linux dom0 starts with `xl create`. */
export type Vmm = "qemu" | "xen-dom0" | "xen-guest";
export const VMMS: readonly Vmm[] = ["qemu", "xen-dom0", "xen-guest"];

export interface VmmOptions {
  /** "auto" (the default): autoAccel().  "kvm" is passed to QEMU even when
   *  /dev/kvm is unusable: QEMU then says why. */
  accel?: "kvm" | "tcg" | "auto";
  /** Guest RAM in MiB, default 256.  The platform needs 64 MiB free above
   *  the image, so anything under ~70 stops the guest at boot.  For linux,
   *  the heap's size (XBEAM_MEMORY_MB, at most 3072; unset, the image's
   *  default of 1024). */
  memMiB?: number;
  /** Default: read from the image (imageTarget). */
  target?: Target;
  /** runImage only: stop the guest after this long, default 120000; 0 = never. */
  timeoutMs?: number;
  /** pvh images only: the host, default "qemu". */
  vmm?: Vmm;
  /** The image's command line (default empty): init's arguments, and the
   *  entry function's if it takes one.  pvh: the PVH start info's (QEMU's
   *  -append, the dom0 module's arguments, the guest's xl `cmdline`);
   *  linux: argv, split at spaces. */
  cmdline?: string;
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
    const argv = [path, ...(opts.cmdline ?? "").split(" ").filter((w) => w !== "")];
    return opts.memMiB === undefined ? argv : ["env", `XBEAM_MEMORY_MB=${opts.memMiB}`, ...argv];
  }

  const mem = opts.memMiB ?? DEFAULT_MEM_MIB;
  if (!Number.isInteger(mem) || mem < 1) throw new Error(`memMiB must be a positive integer, not ${mem}`);
  const vmm = opts.vmm ?? "qemu";
  if (vmm !== "qemu" && /[\s,]/.test(image)) throw new Error(`${image}: Xen's module list cannot carry a path with spaces or commas`);
  if (vmm === "xen-dom0") return xenDom0Command(image, mem, opts);
  if (vmm === "xen-guest") return xenGuestCommand(image, mem, opts);

  const accel = opts.accel ?? "auto";
  const kvm = accel === "kvm" || (accel === "auto" && autoAccel() === "kvm");
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
    ...(opts.cmdline ? ["-append", opts.cmdline] : []),
  ];
}

/** The path a cache script prints (it builds the thing the first time,
 *  progress on stderr), checked to hold `expect`. */
function fromCacheScript(script: string, expect: (path: string) => string, what: string): string {
  const r = spawnSync("bash", [join(ROOT, "scripts", script)], { stdio: ["ignore", "pipe", "inherit"] });
  const path = r.stdout?.toString("utf8").trim() ?? "";
  if (r.status !== 0 || path === "" || !existsSync(expect(path))) throw new Error(`scripts/${script} could not provide ${what}`);
  return path;
}

/** Xen's hypervisor (scripts/xen.sh fetches Debian's package into the
 *  cache the first time). */
export function xenHypervisor(): string {
  return fromCacheScript("xen.sh", (p) => p, "Xen's hypervisor");
}

/** Memory QEMU gives Xen beyond its dom0's: Xen's own heap, the IOMMU's
 *  tables and the frame table. */
const XEN_OWN_MIB = 192;

/** The QEMU that runs Xen, with RAM MiB: TCG, whose emulated SVM with
 *  nested paging Xen needs (the host's KVM offers no nested SVM/VMX);
 *  q35; one CPU. */
function xenQemu(mib: number): string[] {
  return [
    QEMU,
    "-accel", "tcg",
    "-M", "q35,kernel-irqchip=split",
    "-cpu", "max",
    "-smp", "1",
    "-m", String(mib),
    "-nographic", "-nodefaults", "-no-user-config",
    "-no-reboot",
  ];
}

/** Xen 4.17 under QEMU's TCG (the host's KVM offers no nested SVM/VMX;
 *  TCG emulates SVM with nested paging), the image as its PVH dom0
 *  (docs/platform.md, "Xen").  One serial port, QEMU's stdout: Xen's log
 *  ("(XEN) ..." lines), the image's stdout (console_io, as it is but \n
 *  as \r\n) and its stderr ("(d0) ..." lines); splitXenConsole takes them
 *  apart.  SeaBIOS, as qboot cannot load a multiboot kernel; a PVH dom0
 *  needs an IOMMU; the exit status comes through isa-debug-exit. */
function xenDom0Command(image: string, mem: number, opts: VmmOptions): string[] {
  return [
    ...xenQemu(mem + XEN_OWN_MIB),
    "-serial", "stdio",
    "-device", "intel-iommu,intremap=on",
    "-device", "isa-debug-exit,iobase=0xf4,iosize=4",
    "-kernel", xenHypervisor(),
    "-append", `console=com1 com1=115200,8n1 dom0=pvh dom0_mem=${mem}M noreboot iommu=1 guest_loglvl=all`,
    "-initrd", opts.cmdline ? `${image} ${qemuValue(opts.cmdline)}` : image,
  ];
}

/** The Linux dom0 of guest mode (scripts/xen-guest.sh makes it once):
 *  the directory of its kernel and initramfs. */
export function xenGuestKit(): string {
  return fromCacheScript("xen-guest.sh", (d) => join(d, "initrd.cpio.gz"), "the dom0 kernel and initramfs");
}

/** The dom0's memory in guest mode: Linux, its initramfs (unpacked) and
 *  the toolstack. */
const GUEST_DOM0_MIB = 384;

/** One newc cpio archive (what Linux unpacks into its initramfs): the
 *  entries in order, directories without data, then the trailer. */
export function cpioNewc(entries: { name: string; data?: Buffer; mode?: number }[]): Buffer {
  const parts: Buffer[] = [];
  const pad4 = (n: number) => Buffer.alloc((4 - (n % 4)) % 4);
  let ino = 1;
  for (const e of [...entries, { name: "TRAILER!!!", data: Buffer.alloc(0), mode: 0 }]) {
    const data = e.data ?? Buffer.alloc(0);
    const mode = e.mode ?? (e.data ? 0o100644 : 0o040755);
    const fields = [ino++, mode, 0, 0, e.data ? 1 : 2, 0, data.length, 0, 0, 0, 0, e.name.length + 1, 0];
    const header = Buffer.from("070701" + fields.map((f) => f.toString(16).padStart(8, "0")).join("") + e.name + "\0", "latin1");
    parts.push(header, pad4(header.length), data, pad4(data.length));
  }
  return Buffer.concat(parts);
}

/** Guest mode: Xen under QEMU's TCG, Debian's Linux as its (PV) dom0, and
 *  the initramfs's /init (xen-boot/guest-init.sh) starting the image as a
 *  PVH domain with `xl create`.  The image and its xl config travel in a
 *  second cpio archive appended to the initramfs, written beside the
 *  image as IMAGE.xen-guest.img.  COM1 is Xen's console (Xen's log, the
 *  dom0's console, the guest's stderr as "(d1) ..." lines) and goes to
 *  errFile; COM2 is the dom0's ttyS1, where /init copies the guest's PV
 *  console, and goes to QEMU's stdout: only the guest's bytes.  Xen runs
 *  with smap=false: with SMAP on, Xen under TCG faults writing an
 *  exception frame to a PV kernel's stack and crashes the dom0. */
function xenGuestCommand(image: string, mem: number, opts: VmmOptions): string[] {
  const kit = xenGuestKit();
  const config = [
    'name = "xbeam"', 'type = "pvh"', 'kernel = "/guest/image.elf"', `memory = ${mem}`, "vcpus = 1",
    'on_poweroff = "destroy"', 'on_crash = "destroy"', 'tsc_mode = "native"',
    ...(opts.cmdline ? [`cmdline = "${opts.cmdline.replace(/[\\"]/g, (c) => `\\${c}`)}"`] : []), "",
  ].join("\n");
  const initrd = `${image}.xen-guest.img`;
  writeFileSync(initrd, Buffer.concat([
    readFileSync(join(kit, "initrd.cpio.gz")),
    cpioNewc([
      { name: "guest" },
      { name: "guest/image.elf", data: readFileSync(image) },
      { name: "guest/guest.cfg", data: Buffer.from(config) },
    ]),
  ]));
  return [
    ...xenQemu(GUEST_DOM0_MIB + mem + XEN_OWN_MIB),
    "-chardev", `file,id=xen,path=${qemuValue(opts.errFile ?? "/dev/stderr")},append=on`,
    "-serial", "chardev:xen",
    "-serial", "stdio",
    "-kernel", xenHypervisor(),
    "-append", `console=com1 com1=115200,8n1 dom0_mem=${GUEST_DOM0_MIB}M,max:${GUEST_DOM0_MIB}M guest_loglvl=all smap=false smep=false`,
    "-initrd", `${join(kit, "vmlinux")} console=hvc0 quiet,${initrd}`,
  ];
}

/** The three streams in Xen's serial console.  Xen's own messages are
 *  "(XEN) ...\r\n", and what a domain writes to port 0xe9 comes as
 *  "(dN) ...\r\n" (N its id): each is a whole line of Xen's, which Xen
 *  starts where it likes, also in the middle of a line of dom0's console
 *  output.  So: from each "(XEN) " or "(dN) " to the end of its line is
 *  Xen's; "(dDOMID) " lines are the image's stderr, the others Xen's log;
 *  the rest is the dom0's console output, the image's stdout when the
 *  image is dom0.  Whatever comes before Xen's first line is the
 *  firmware's.  Xen writes each \n as \r\n, and only that \r is removed.
 *  (Known limit: a program's own "(XEN) " or "(d0) " on stdout is taken
 *  for Xen's.) */
export function splitXenConsole(raw: Buffer, domid = 0): { stdout: Buffer; stderr: Buffer; log: Buffer } {
  // (latin1 keeps every byte as one character, so the split is byte-exact.)
  const text = raw.toString("latin1");
  const out: string[] = [], err: string[] = [], log: string[] = [];
  let i = text.indexOf("(XEN) ");
  if (i < 0) return { stdout: Buffer.alloc(0), stderr: Buffer.alloc(0), log: raw };
  const mark = /\((?:XEN|d\d+)\) /g;
  const ours = `(d${domid}) `;
  while (i < text.length) {
    mark.lastIndex = i;
    const m = mark.exec(text);
    const at = m ? m.index : text.length;
    if (at > i) out.push(text.slice(i, at));
    if (!m) break;
    let end = text.indexOf("\n", at);
    end = end < 0 ? text.length : end + 1;
    if (m[0] === ours) err.push(text.slice(at + ours.length, end));
    else log.push(text.slice(at, end));
    i = end;
  }
  const plain = (parts: string[]) => Buffer.from(parts.join("").replaceAll("\r\n", "\n"), "latin1");
  return { stdout: plain(out), stderr: plain(err), log: plain(log) };
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
  const fail = (r: Exit, why: string, guestErr: Buffer = Buffer.alloc(0)): RunResult => ({
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

    const vmm = opts.vmm ?? "qemu";
    const r = await execute(vmmCommand(image, { ...opts, target, errFile }), outFile, timeoutMs);
    let guestErr: Buffer = Buffer.alloc(0);
    let guestStatus: number | undefined;
    if (vmm === "xen-dom0") {
      // One console for all: the image's two streams out of Xen's log,
      // which is shown only when the VM gave no exit status.
      const parts = splitXenConsole(r.stdout, 0);
      r.stdout = parts.stdout;
      guestErr = parts.stderr;
      if (!(r.code !== null && r.code % 2 === 1)) guestErr = Buffer.concat([guestErr, parts.log]);
    } else if (vmm === "xen-guest") {
      // stdout is the guest's alone; Xen's console has its stderr (domain
      // 1, the first that xl creates), ending with its exit status.
      let con = Buffer.alloc(0);
      try { con = readFileSync(errFile); } catch { /* QEMU never got as far as opening it */ }
      const parts = splitXenConsole(con, 1);
      const err = parts.stderr.toString("latin1");
      const at = err.lastIndexOf("xbeam: exit status ");
      const m = at < 0 ? null : /^xbeam: exit status (-?\d+)\n$/.exec(err.slice(at));
      if (m) {
        guestStatus = Number(m[1]);
        guestErr = Buffer.from(err.slice(0, at), "latin1");
      } else {
        guestErr = Buffer.concat([parts.stderr, parts.log]);
      }
    } else {
      try { guestErr = readFileSync(errFile); } catch { /* QEMU never got as far as opening it */ }
    }
    if (r.spawnError) return fail(r, `cannot run ${QEMU}: ${r.spawnError.message}`, guestErr);
    if (r.timedOut) return fail(r, `no exit after ${timeoutMs} ms; stopped the VM`, guestErr);
    if (r.signal) return fail(r, `${QEMU} killed by ${r.signal}`, guestErr);
    if (vmm === "xen-guest") {
      if (guestStatus === undefined) return fail(r, "the guest domain ended without reporting an exit status", guestErr);
      return { status: guestStatus, stdout: r.stdout, stderr: Buffer.concat([guestErr, r.stderr]) };
    }
    const code = r.code ?? 0;
    const error = code === 1 ? qemuError(r.stderr) : undefined;
    if (error !== undefined) return fail(r, `${QEMU} failed: ${error.slice(QEMU.length + 2)}`, guestErr);
    if (code % 2 === 1) return { status: (code - 1) >> 1, stdout: r.stdout, stderr: Buffer.concat([guestErr, r.stderr]) };
    return fail(r, `the VM stopped without an exit status (${QEMU} exit ${code}: a triple fault?)`, guestErr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
