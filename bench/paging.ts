// bench/paging.ts — what page protection would cost, for the decision in
// docs/platform.md ("Paging").
//
// In:  node dist/bench/paging.js [--runs N] [--hosts qemu-tcg,qemu-kvm,xen-dom0]
// Out: a table on stdout.  Two programs, each linked twice: as images are
//      (paging off) and with xen-boot/pvh-entry.asm assembled with
//      -DXBEAM_PAGING (xen-boot/paging.inc: PAE, identity map, 4 KiB pages
//      with read-only code below 32 MiB, 2 MiB no-execute pages above).
//      For each host, the medians of N runs (default 5) of
//        start-up: the time from the image's entry to the runtime's start
//                  (bench/boot/boot_hello.erl's own measure; the paged
//                  image builds its tables and turns paging on in it);
//        nrev:     bench/programs/nrev.erl's own timing of its workload
//                  (lists and garbage collection: memory-bound).

import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { build } from "../loader/build.js";
import { BOOT_DIR, CACHE_DIR, ROOT } from "../loader/paths.js";
import { kvmNative, kvmUsable, runImage, type VmmOptions } from "../loader/vmm.js";
import { median, tableLines } from "./report.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" }, hosts: { type: "string" } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs wants a positive integer, not ${values.runs}`);

const out = join(CACHE_DIR, "bench-paging");
mkdirSync(out, { recursive: true });
const pagedBoot = join(out, "pvh-entry-paging.o");
execFileSync("nasm", ["-f", "elf32", "-DXBEAM_PAGING", "-I", `${BOOT_DIR}/`, "-o", pagedBoot, join(BOOT_DIR, "pvh-entry.asm")]);

/** The program built as usual, and relinked with the paging start-of-day. */
async function variants(src: string): Promise<{ plain: string; paged: string }> {
  execFileSync("erlc", ["-o", out, src]);
  const name = src.slice(src.lastIndexOf("/") + 1, -4);
  const plain = join(out, `${name}.pvh.elf`), paged = join(out, `${name}.paged.pvh.elf`);
  const { workDir } = await build({ inputs: [join(out, `${name}.beam`)], output: plain, target: "pvh" });
  const objects = readdirSync(workDir).filter((f) => f.endsWith(".o") && f !== "boot_pvh.o").map((f) => join(workDir, f));
  execFileSync("ld", ["-m", "elf_i386", "-static", "-T", join(BOOT_DIR, "pvh.ld"), "--no-warn-rwx-segments", "-o", paged, ...objects, pagedBoot]);
  return { plain, paged };
}

const hello = await variants(join(ROOT, "bench/boot/boot_hello.erl"));
const nrev = await variants(join(ROOT, "bench/programs/nrev.erl"));

const allHosts: [string, VmmOptions][] = [
  ["qemu-tcg", { accel: "tcg", vmm: "qemu" }],
  ...(kvmUsable() ? [["qemu-kvm", { accel: "kvm", vmm: "qemu" }] as [string, VmmOptions]] : []),
  ["xen-dom0", { vmm: "xen-dom0" }],
];
const wanted = values.hosts?.split(",");
const hosts = wanted ? allHosts.filter(([n]) => wanted.includes(n)) : allHosts;

/** One run's stdout, or why it failed, briefly. */
async function stdoutOf(image: string, opts: VmmOptions): Promise<string> {
  const r = await runImage(image, { ...opts, target: "pvh", timeoutMs: 60_000 });
  if (r.status === 0) return r.stdout.toString();
  const err = r.stderr.toString();
  const exc = /cpu exception 0x0*([0-9a-f]+)/.exec(err);
  return `FAILED: ${exc ? `cpu exception ${exc[1]}` : /no exit after/.test(err) ? "no exit in 60 s" : `status ${r.status}`}`;
}
const startup = (s: string) => Number(/^runtime (\d+) us/m.exec(s)?.[1] ?? NaN) / 1000;
const nrevMs = (s: string) => Number(/\{nrev,\d+,(\d+)\}/.exec(s)?.[1] ?? NaN) / 1000;

const rows: string[][] = [];
for (const [name, opts] of hosts) {
  const cell = async (image: string, measure: (s: string) => number) => {
    const xs: number[] = [];
    for (let i = 0; i < runs; i++) {
      const s = await stdoutOf(image, opts);
      if (s.startsWith("FAILED")) return s;
      xs.push(measure(s));
    }
    return `${median(xs).toFixed(2)} ms`;
  };
  // A software KVM emulates every instruction: nrev would take minutes.
  const compute = !(opts.accel === "kvm" && !kvmNative());
  rows.push([
    name,
    await cell(hello.plain, startup), await cell(hello.paged, startup),
    compute ? await cell(nrev.plain, nrevMs) : "n/a", compute ? await cell(nrev.paged, nrevMs) : "n/a",
  ]);
  process.stderr.write(`bench:paging: ${name} done\n`);
}
const header = ["host", "start-up, off", "start-up, paged", "nrev, off", "nrev, paged"];
console.log(`paging: medians of ${runs} runs, measured inside the guest`);
for (const l of tableLines(header, rows)) console.log(l);
