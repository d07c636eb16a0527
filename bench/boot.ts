// bench/boot.ts — boot time of pvh images, as ratios against an empty one.
//
// In:  node dist/bench/boot.js [--base EMPTY.elf] [--runs N] [IMAGE.elf...]
//      Without --base, the baseline is tests/boot/empty.asm (xb_main
//      returns 0) linked for pvh; without images, tests/boot/hello.asm.
//      Both are built under .cache/bench-boot/ with real nasm and ld.
// Out: a table on stdout: for each image and each accelerator (KVM + qboot
//      when /dev/kvm is usable, TCG + qboot), the median wall-clock time of
//      N runs (default 10) from spawning QEMU to its exit, and the ratio to
//      the baseline under the same accelerator.  Runs are interleaved
//      (base, image, base, ...) so that machine noise hits all alike.
//      A run that does not end with a guest exit status aborts the bench.

import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { basename, join } from "node:path";
import { parseArgs } from "node:util";
import { kvmNative, kvmUsable, QEMU, vmmCommand, type VmmOptions } from "../loader/vmm.js";
import { buildImage, repoRoot } from "../tests/boot/images.js";

const { values, positionals } = parseArgs({
  options: { base: { type: "string" }, runs: { type: "string", default: "10" } },
  allowPositionals: true,
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs wants a positive integer, not ${values.runs}`);

const out = join(repoRoot, ".cache", "bench-boot");
mkdirSync(out, { recursive: true });
const base = values.base ?? buildImage("empty", "pvh", out);
const images = positionals.length > 0 ? positionals : [buildImage("hello", "pvh", out)];

/** Milliseconds from spawn to exit of one boot; throws unless the guest
 *  ended through isa-debug-exit (an odd QEMU status). */
function bootOnce(argv: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { stdio: ["ignore", "ignore", "pipe"] });
  const ms = performance.now() - t0;
  if (r.status === null || r.status % 2 === 0) {
    throw new Error(`${argv.join(" ")}: no guest exit status (${r.signal ?? `status ${r.status}`})\n${r.stderr}`);
  }
  return ms;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const accels: { name: string; accel: VmmOptions["accel"] }[] = [
  ...(kvmUsable() ? [{ name: "KVM+qboot", accel: "kvm" as const }] : []),
  { name: "TCG+qboot", accel: "tcg" },
];
const all = [base, ...images];
// medians[accel][image]
const medians = accels.map(({ accel }) => {
  const argvs = all.map((image) => vmmCommand(image, { accel, target: "pvh", errFile: "/dev/null" }));
  argvs.forEach(bootOnce); // warm the page cache and QEMU's shared libraries
  const times: number[][] = all.map(() => []);
  for (let r = 0; r < runs; r++) argvs.forEach((argv, i) => times[i]!.push(bootOnce(argv)));
  return times.map(median);
});

const col = 22;
console.log(`boot: median of ${runs} runs, wall clock from spawning ${QEMU} to its exit`);
console.log("image".padEnd(28) + accels.map((a) => a.name.padEnd(col)).join(""));
all.forEach((image, i) => {
  const name = (i === 0 ? `${basename(image)} (base)` : basename(image)).padEnd(28);
  const cells = accels.map((_, a) => {
    const ms = medians[a]![i]!, ratio = ms / medians[a]![0]!;
    return `${ms.toFixed(1).padStart(7)} ms${i === 0 ? "" : `  ${ratio.toFixed(3)}x`}`.padEnd(col);
  });
  console.log(name + cells.join(""));
});
if (kvmUsable() && !kvmNative()) {
  console.log("note: this /dev/kvm is a software KVM (no vmx/svm): it emulates the guest instruction by instruction");
}
