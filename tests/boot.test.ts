// The platform layer (xen-boot/) of both targets, booted for real: tiny
// programs from tests/boot/ linked with each platform object, run through
// loader/vmm.ts (QEMU microvm + qboot for pvh, a process for linux).
// accel "auto" for most cases, and hello forced onto each of KVM (when
// /dev/kvm is usable) and TCG, so that both clocks (kvmclock, PIT-calibrated
// TSC) are tested whatever "auto" picks on this machine.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { imageTarget, kvmUsable, runImage, type Target } from "../loader/vmm.js";
import { buildImage, repoRoot } from "./boot/images.js";

mkdirSync(join(repoRoot, ".cache"), { recursive: true });
const dir = mkdtempSync(join(repoRoot, ".cache", "boot-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HELLO_OUT = "hello\nmem ok\ntime ok\n";

/** The address of a symbol in an image, as nm prints it. */
function symbol(image: string, name: string): string {
  const line = execFileSync("nm", [image]).toString().split("\n").find((l) => l.endsWith(` ${name}`));
  if (!line) throw new Error(`${name} not in ${image}`);
  return line.split(" ")[0]!;
}

describe.each<Target>(["pvh", "linux"])("%s target", (target) => {
  it("hello: both consoles, the heap, the clock, and xb_main's return value as status", async () => {
    const r = await runImage(buildImage("hello", target, dir));
    expect(r.stdout).toEqual(Buffer.from(HELLO_OUT));
    expect(r.stderr.toString()).toBe("to stderr\n");
    expect(r.status).toBe(3);
  });

  it.each([0, 42])("plat_exit(%i) ends the program with that status", async (status) => {
    const r = await runImage(buildImage("exit", target, dir, { STATUS: status }, `-${status}`));
    expect(r.stdout.toString()).toBe("");
    expect(r.status).toBe(status);
  });

  it("a fault gives status 1 and says where", async () => {
    const image = buildImage("fault", target, dir);
    const r = await runImage(image);
    expect(r.status).toBe(1);
    const where = target === "pvh"
      ? `xbeam pvh: cpu exception 0x00000006, error 0x00000000 at eip 0x${symbol(image, "fault_here")}\n`
      : `xbeam: ${image}: killed by SIGILL\n`;
    expect(r.stderr.toString()).toBe(where);
  });

  it("a program that never ends is stopped at the timeout", async () => {
    const image = buildImage("spin", target, dir);
    const r = await runImage(image, { timeoutMs: 1000 });
    expect(r.status).toBe(1);
    expect(r.stderr.toString()).toMatch(/^xbeam: .*spin.*: no exit after 1000 ms/);
  });
});

describe("pvh target", () => {
  it("boots under TCG (clock: the TSC calibrated against the PIT)", async () => {
    const r = await runImage(buildImage("hello", "pvh", dir), { accel: "tcg" });
    expect(r.stdout).toEqual(Buffer.from(HELLO_OUT));
    expect(r.stderr.toString()).toBe("to stderr\n");
    expect(r.status).toBe(3);
  });

  it.skipIf(!kvmUsable())("boots under KVM (clock: kvmclock)", async () => {
    const r = await runImage(buildImage("hello", "pvh", dir), { accel: "kvm" });
    expect(r.stdout).toEqual(Buffer.from(HELLO_OUT));
    expect(r.stderr.toString()).toBe("to stderr\n");
    expect(r.status).toBe(3);
  });

  it("a triple fault is a failure, not status 0", async () => {
    const r = await runImage(buildImage("triple", "pvh", dir));
    expect(r.status).toBe(1);
    expect(r.stderr.toString()).toMatch(/^xbeam: .*: the VM stopped without an exit status .*\n$/);
  });

  it("too little RAM for a 64 MiB heap stops the boot with a message", async () => {
    const r = await runImage(buildImage("hello", "pvh", dir), { memMiB: 48 });
    expect(r.stdout.toString()).toBe("");
    expect(r.stderr.toString()).toMatch(/^xbeam pvh: less than 64 MiB of free RAM/);
    expect(r.status).toBe(1);
  });

  it("has the layout Xen's loader needs: one PT_LOAD at 1 MiB without the headers, a PT_NOTE with the entry", () => {
    const image = buildImage("empty", "pvh", dir);
    const elf = readFileSync(image);
    const phoff = elf.readUInt32LE(28), phnum = elf.readUInt16LE(44);
    const phdrs = Array.from({ length: phnum }, (_, i) => {
      const p = phoff + i * 32;
      return { type: elf.readUInt32LE(p), offset: elf.readUInt32LE(p + 4), paddr: elf.readUInt32LE(p + 12), filesz: elf.readUInt32LE(p + 16) };
    });
    expect(phdrs.map((p) => p.type)).toEqual([1, 4]); // PT_LOAD, PT_NOTE
    const [load, note] = phdrs as [(typeof phdrs)[0], (typeof phdrs)[0]];
    expect(load.paddr).toBe(0x100000);
    expect(load.offset).toBeGreaterThanOrEqual(phoff + phnum * 32);
    // namesz 4, descsz 4, type 18 (XEN_ELFNOTE_PHYS32_ENTRY), "Xen\0", the entry
    const entry = elf.readUInt32LE(24);
    const want = Buffer.alloc(20);
    [4, 4, 18].forEach((v, i) => want.writeUInt32LE(v, i * 4));
    want.write("Xen\0", 12, "latin1");
    want.writeUInt32LE(entry, 16);
    expect(elf.subarray(note.offset, note.offset + note.filesz)).toEqual(want);
    expect(entry.toString(16).padStart(8, "0")).toBe(symbol(image, "_start"));
    expect(parseInt(symbol(image, "_image_end"), 16) % 4096).toBe(0);
    expect(imageTarget(image)).toBe("pvh");
    expect(imageTarget(buildImage("empty", "linux", dir))).toBe("linux");
  });
});
