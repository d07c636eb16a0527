// tests/xen.test.ts — images under the real Xen: Debian's Xen 4.17 under
// QEMU's TCG, the image as Xen's PVH dom0 (`xbeam run --vmm xen-dom0`) and
// as a PVH guest domain that a Linux dom0 starts with `xl create`
// (`--vmm xen-guest`).
//
// The image finds Xen by CPUID, installs the hypercall page, writes stdout
// with console_io (dom0) or into the PV console ring (guest), stderr to
// port 0xe9, sleeps on Xen's single-shot timer and reads Xen's clock
// (xen-boot/pvh-entry.asm, "Xen").  Each case compares with Debian's erl
// where erl has an answer: stdout byte for byte and the exit status.
// scripts/xen.sh and scripts/xen-guest.sh fetch Debian's packages into
// .cache/xen/ the first time.  (OTP suites under Xen run in CI through
// scripts/test.sh: `scripts/suites.sh --vmm xen-dom0|xen-guest`.)

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { build } from "../loader/build.js";
import { CACHE_DIR, ROOT } from "../loader/paths.js";
import { runImage, splitXenConsole, vmmCommand } from "../loader/vmm.js";

const OUT = join(CACHE_DIR, "xen");
const PROGRAMS = ["xen_idle", "xen_streams"];

/** erl's stdout and status for MOD:main(). */
function underErl(mod: string, dir: string): { stdout: string; status: number } {
  const r = spawnSync("erl", ["-noshell", "-pa", dir, "-eval", `${mod}:main(), halt().`], {
    env: { ...process.env, ERL_CRASH_DUMP_SECONDS: "0" },
  });
  return { stdout: r.stdout.toString("latin1"), status: r.status ?? -1 };
}

async function image(beam: string, name: string): Promise<string> {
  const out = join(OUT, `${name}.pvh.elf`);
  await build({ inputs: [beam], output: out, target: "pvh" });
  return out;
}

describe("Xen's serial console taken apart", () => {
  it("separates Xen's log, the image's stderr and its stdout, and undoes \\n -> \\r\\n", () => {
    // Xen starts its lines where it likes, also inside a line of dom0's.
    const raw = Buffer.from(
      "\x1bcSeaBIOS\r\nBooting from ROM..(XEN) Xen version 4.17\r\n(XEN) Freed 656kB init memory\r\n" +
        "out 1\r\n(d0) err 1\r\nout\r\r\n 2 (d0) mid-line\r\n(XEN) Hardware Dom0 halted\r\nunfinished",
      "latin1",
    );
    const r = splitXenConsole(raw);
    expect(r.stdout.toString("latin1")).toBe("out 1\nout\r\n 2 unfinished");
    expect(r.stderr.toString("latin1")).toBe("err 1\nmid-line\n");
    expect(r.log.toString("latin1")).toBe("(XEN) Xen version 4.17\n(XEN) Freed 656kB init memory\n(XEN) Hardware Dom0 halted\n");
  });

  it("takes a guest domain's stderr by its id, and other domains' lines for the log", () => {
    const raw = Buffer.from("(XEN) boot\r\ndom0 says\r\n(d1) guest err\r\n(d2) other\r\n", "latin1");
    const r = splitXenConsole(raw, 1);
    expect(r.stderr.toString()).toBe("guest err\n");
    expect(r.log.toString()).toBe("(XEN) boot\n(d2) other\n");
    expect(r.stdout.toString()).toBe("dom0 says\n");
  });

  it("gives everything to the log when Xen never started", () => {
    const r = splitXenConsole(Buffer.from("SeaBIOS\r\nno bootable device\r\n"));
    expect(r.stdout.length + r.stderr.length).toBe(0);
    expect(r.log.toString()).toContain("no bootable device");
  });
});

const VMMS = ["xen-dom0", "xen-guest"] as const;

describe.each(VMMS)("under Xen 4.17 (QEMU TCG): %s", (vmm) => {
  beforeAll(() => {
    mkdirSync(OUT, { recursive: true });
    execFileSync("erlc", ["-o", OUT, join(ROOT, "examples/hello.erl"), ...PROGRAMS.map((p) => join(ROOT, "tests/xen", `${p}.erl`))]);
  });

  it("boots the command line that names Xen and the image (or the dom0 that starts it)", async () => {
    const img = await image(join(OUT, "hello.beam"), `hello.${vmm}`);
    const argv = vmmCommand(img, { vmm });
    expect(argv[argv.indexOf("-kernel") + 1]).toMatch(/\.cache\/xen\/xen\.elf$/);
    if (vmm === "xen-dom0") {
      expect(argv).toContain("intel-iommu,intremap=on");
      expect(argv[argv.indexOf("-initrd") + 1]).toBe(img);
      expect(argv[argv.indexOf("-append") + 1]).toMatch(/\bdom0=pvh\b/);
    } else {
      expect(argv[argv.indexOf("-initrd") + 1]).toMatch(/\/vmlinux console=hvc0 quiet,.*\.xen-guest\.img$/);
    }
  }, 180_000);

  it("prints hello world as erl does, and nothing else on stdout", async () => {
    const want = underErl("hello", OUT);
    const got = await runImage(await image(join(OUT, "hello.beam"), `hello.${vmm}`), { vmm });
    expect(got.stderr.toString()).toBe("");
    expect(got.stdout.toString("latin1")).toBe(want.stdout);
    expect(got.status).toBe(0);
  }, 180_000);

  it("passes stdout through byte for byte, stderr apart, and erlang:halt(3)'s status", async () => {
    const want = underErl("xen_streams", OUT);
    const got = await runImage(await image(join(OUT, "xen_streams.beam"), `xen_streams.${vmm}`), { vmm });
    expect(got.stdout.toString("latin1")).toBe(want.stdout);
    expect(got.stderr.toString()).toBe("a diagnostic line\n");
    expect(want.status).toBe(3);
    expect(got.status).toBe(3);
  }, 180_000);

  it("ends with status 1 and a report after an uncaught error", async () => {
    const src = join(OUT, "xen_crash.erl");
    writeFileSync(src, '-module(xen_crash).\n-export([main/0]).\nmain() -> io:format("before~n"), list_to_atom(self()).\n');
    execFileSync("erlc", ["-o", OUT, src]);
    const got = await runImage(await image(join(OUT, "xen_crash.beam"), `xen_crash.${vmm}`), { vmm });
    expect(got.stdout.toString()).toBe("before\n");
    expect(got.stderr.toString()).toMatch(/^xbeam: uncaught error: badarg$/m);
    expect(got.status).toBe(1);
  }, 180_000);

  it("blocks the vCPU in `receive after 100`: ~100 ms of Xen's time, little of it running", async () => {
    const got = await runImage(await image(join(OUT, "xen_idle.beam"), `xen_idle.${vmm}`), { vmm });
    expect(got.stdout.toString()).toBe("waited about 100 ms: true\nthe vCPU was blocked: true\n");
    const m = /^wall ([\d.]+) ms, cpu (\d+) ms$/m.exec(got.stderr.toString());
    expect(m).not.toBeNull();
    expect(Number(m![2])).toBeLessThan(Number(m![1]) / 5);
    expect(got.status).toBe(0);
  }, 180_000);
});
