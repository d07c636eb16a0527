// bench/boot.ts — `npm run bench:boot`: how long a pvh image takes to boot,
// on every host, against the floor.
//
// In:  node dist/bench/boot.js [--runs N] [--hosts linux,qemu-kvm,qemu-tcg,xen-dom0,xen-guest]
// Out: a table on stdout.  For each host (the linux target as a plain
//      process, for reference; QEMU microvm + qboot under KVM when /dev/kvm
//      is usable, the same under TCG, Xen 4.17 under QEMU TCG with the
//      image as PVH dom0, and as a guest domain) and each of two images:
//        floor  tests/boot/floor.asm: the platform layer alone, which prints
//               one line and exits (no runtime);
//        xbeam  bench/boot/boot_hello.erl built by xbeam, whose first line
//               is its first output;
//      the median over N runs (default 10) of the wall time from spawning
//      the VMM to the image's first line on stdout, and to the VMM's exit;
//      the difference of the first-line medians; and the medians of what
//      the Erlang program measured itself, from the image's entry point
//      (the TSC read at _start): when the runtime started (the platform's
//      start-of-day, which the floor has too) and when its first output
//      went out.  xbeam's own overhead is the time between those two:
//      what the runtime does before the program's first byte, measured
//      inside the guest, free of the VMM's noise and of the image's size.
//      Runs alternate floor and xbeam so that noise hits both.  A run that
//      does not end with a guest exit status aborts the bench.  Guest mode
//      (xen-guest: a domU that a Linux dom0 starts with `xl create`) takes
//      some 15 s a run, so it has at most 3, no warm-up, and one more
//      figure: from the dom0's "xl create" (on Xen's console, read through
//      a FIFO) to the guest's first line.

import { execFileSync, spawn } from "node:child_process";
import { createReadStream, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { build } from "../loader/build.js";
import { kvmNative, kvmUsable, splitXenConsole, vmmCommand, type VmmOptions } from "../loader/vmm.js";
import { buildImage, repoRoot } from "../tests/boot/images.js";
import { median, tableLines } from "./report.js";

const { values } = parseArgs({
  options: { runs: { type: "string", default: "10" }, hosts: { type: "string" } },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs wants a positive integer, not ${values.runs}`);

interface Host {
  name: string;
  opts: VmmOptions;
}
const allHosts: Host[] = [
  { name: "linux", opts: { target: "linux" } },
  ...(kvmUsable() ? [{ name: "qemu-kvm", opts: { accel: "kvm", vmm: "qemu" } as VmmOptions }] : []),
  { name: "qemu-tcg", opts: { accel: "tcg", vmm: "qemu" } },
  { name: "xen-dom0", opts: { vmm: "xen-dom0" } },
  { name: "xen-guest", opts: { vmm: "xen-guest" } },
];
/** Guest mode takes some 15 s a run: at most this many. */
const GUEST_RUNS = 3;
const wanted = values.hosts?.split(",");
const hosts = wanted ? allHosts.filter((h) => wanted.includes(h.name)) : allHosts;

const out = join(repoRoot, ".cache", "bench-boot");
mkdirSync(out, { recursive: true });
execFileSync("erlc", ["-o", out, join(repoRoot, "bench/boot/boot_hello.erl")]);
const images = { pvh: { floor: "", xbeam: "" }, linux: { floor: "", xbeam: "" } };
for (const target of ["pvh", "linux"] as const) {
  images[target].floor = buildImage("floor", target, out);
  images[target].xbeam = join(out, `boot_hello.${target}.elf`);
  await build({ inputs: [join(out, "boot_hello.beam")], output: images[target].xbeam, target });
}

interface Boot {
  firstLineMs: number;
  exitMs: number;
  /** Guest mode: when the dom0's /init said "xl create" on Xen's console. */
  createMs?: number;
  /** The second line of stdout (boot_hello's timings). */
  second: string;
}

/** One boot: times from spawn to the guest's first stdout line and to exit
 *  (a linux image exits 0, QEMU with a guest status odd, QEMU after a guest
 *  domain's end 0).  Guest mode: Xen's console comes through the FIFO
 *  `console`, watched for the dom0's "xl create". */
function bootOnce(argv: string[], xen: boolean, linux = false, console?: string): Promise<Boot> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let createMs: number | undefined;
    if (console) {
      let text = "";
      createReadStream(console).on("data", (b: Buffer | string) => {
        text += b.toString();
        if (createMs === undefined && /xbeam-dom0: \S+ xl create/.test(text)) createMs = performance.now() - t0;
      });
    }
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ["ignore", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let firstLineMs = NaN;
    const stdoutOf = () => {
      const all = Buffer.concat(chunks);
      return (xen ? splitXenConsole(all).stdout : all).toString("latin1");
    };
    child.stdout.on("data", (b: Buffer) => {
      chunks.push(b);
      if (Number.isNaN(firstLineMs) && stdoutOf().includes("\n")) firstLineMs = performance.now() - t0;
    });
    const err: Buffer[] = [];
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("close", (code) => {
      const exitMs = performance.now() - t0;
      if (code === null || (linux || console ? code !== 0 : code % 2 === 0) || Number.isNaN(firstLineMs)) {
        reject(new Error(`${argv.join(" ")}: no first line or no guest exit status (${code})\n${Buffer.concat(err)}`));
      } else {
        resolve({ firstLineMs, exitMs, createMs, second: stdoutOf().split("\n")[1] ?? "" });
      }
    });
  });
}

const ms = (x: number) => `${x.toFixed(x < 10 ? 2 : 1)} ms`;

const rows: string[][] = [];
const guestNotes: string[] = [];
for (const host of hosts) {
  const xen = host.opts.vmm === "xen-dom0", linux = host.opts.target === "linux";
  const guest = host.opts.vmm === "xen-guest";
  const target = linux ? "linux" : "pvh";
  const fifo = join(out, "xen-console.fifo");
  if (guest) {
    rmSync(fifo, { force: true });
    execFileSync("mkfifo", [fifo]);
  }
  const argv = (image: string) => vmmCommand(image, { ...host.opts, target, errFile: guest ? fifo : "/dev/null" });
  const f = argv(images[target].floor), x = argv(images[target].xbeam);
  const once = (a: string[]) => bootOnce(a, xen, linux, guest ? fifo : undefined);
  if (!guest) {
    await once(f); // warm the page cache and QEMU's libraries
    await once(x);
  }
  const fl: Boot[] = [], xb: Boot[] = [];
  for (let r = 0; r < (guest ? Math.min(runs, GUEST_RUNS) : runs); r++) {
    fl.push(await once(f));
    xb.push(await once(x));
  }
  if (guest) {
    const created = (bs: Boot[]) => ms(median(bs.map((b) => b.firstLineMs - (b.createMs ?? NaN))));
    guestNotes.push(`xen-guest: from the dom0's "xl create" to the guest's first line: floor ${created(fl)}, xbeam ${created(xb)}` +
      ` (${Math.min(runs, GUEST_RUNS)} runs; xl builds the domain under TCG)`);
  }
  const inGuest = xb.map((b) => {
    const m = /^runtime (\d+) us, Erlang (\d+) us, first output (\d+) us after entry$/m.exec(b.second);
    if (!m) throw new Error(`boot_hello printed no timings: ${JSON.stringify(b.second)}`);
    return { runtime: Number(m[1]) / 1000, first: Number(m[3]) / 1000 };
  });
  const fFirst = median(fl.map((b) => b.firstLineMs)), xFirst = median(xb.map((b) => b.firstLineMs));
  rows.push([
    host.name,
    ms(fFirst), ms(median(fl.map((b) => b.exitMs))),
    ms(xFirst), ms(median(xb.map((b) => b.exitMs))),
    ms(xFirst - fFirst),
    ms(median(inGuest.map((g) => g.runtime))), ms(median(inGuest.map((g) => g.first))),
    ms(median(inGuest.map((g) => g.first - g.runtime))),
  ]);
  process.stderr.write(`bench:boot: ${host.name} done\n`);
}

const header = ["host", "floor: 1st line", "floor: exit", "xbeam: 1st line", "xbeam: exit", "difference",
  "runtime at", "1st output at", "xbeam overhead"];
console.log(`boot: medians of ${runs} runs.  Wall clock from spawning the VMM to the first line and to the exit, for the`);
console.log("floor (platform only) and xbeam's hello; difference = xbeam's first line - the floor's.  Inside the guest, from");
console.log("its entry point: when the runtime started, when its first output went out; xbeam overhead = the time between.");
for (const l of tableLines(header, rows)) console.log(l);
for (const note of guestNotes) console.log(note);
if (kvmUsable() && !kvmNative()) {
  console.log("note: this /dev/kvm is a software KVM (no vmx/svm): it emulates the guest instruction by instruction");
}
