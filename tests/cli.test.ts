// The CLI's build and run commands, as scripts outside the repo drive them.

import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CACHE, ROOT } from "./helpers/erl.js";

const CLI = join(ROOT, "dist/cli/xbeam.js");
const DIR = join(CACHE, "cli");

function xbeam(...args: string[]) {
  return spawnSync("node", [CLI, ...args], { encoding: "latin1", timeout: 60_000 });
}

describe("xbeam build and run", () => {
  mkdirSync(DIR, { recursive: true });
  execFileSync("erlc", ["-o", DIR, join(ROOT, "tests/programs/halt_status.erl"), join(ROOT, "examples/hello.erl")]);

  it("run builds a .beam and boots it (pvh by default), exiting with the program's status", () => {
    const r = xbeam("run", join(DIR, "halt_status.beam"));
    expect(r.stdout).toBe("before_halt\r\n");
    expect(r.status).toBe(3);
  });

  it("build writes an image for each target, and run boots it", () => {
    for (const target of ["linux", "pvh"]) {
      const image = join(DIR, `hello.${target}.elf`);
      const b = xbeam("build", "-o", image, "--target", target, join(DIR, "hello.beam"));
      expect(b.status).toBe(0);
      expect(existsSync(image)).toBe(true);
      const r = xbeam("run", "--target", target, image);
      expect(r.stdout).toBe("Hello, world! from hello on nonode@nohost\n");
      expect(r.status).toBe(0);
    }
  });

  it("--entry picks the function to run", () => {
    const r = xbeam("run", "--target", "linux", "--entry", "hello:main", join(DIR, "hello.beam"));
    expect(r.status).toBe(0);
    const bad = xbeam("run", "--target", "linux", "--entry", "hello:nope", join(DIR, "hello.beam"));
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^xbeam: the entry hello:nope\/0 is not an exported function/);
  });

  it("--dry-run prints the VMM command and boots nothing", () => {
    const r = xbeam("run", "--dry-run", join(DIR, "hello.beam"));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^qemu-system-x86_64 .*-M microvm.*-kernel \S+\n$/);
  });

  it("a corrupt .beam is one line on stderr and status 1", () => {
    const bad = join(DIR, "corrupt.beam");
    writeFileSync(bad, "FOR1\0\0\0\x08BEAMjunk");
    const r = xbeam("build", "-o", join(DIR, "x.elf"), bad);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^xbeam: \S+corrupt\.beam: byte \d+: [^\n]+\n$/);
  });
});

describe("xbeam usage errors", () => {
  it("exit with status 2 and a message, for every command", () => {
    for (const args of [["run"], ["disasm"], ["build", join(DIR, "hello.beam")], ["disasm", "--format", "nope", "x.beam"], ["frobnicate"]]) {
      const r = xbeam(...args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^error: /);
    }
  });

  it("a missing input is one line and status 1", () => {
    const r = xbeam("build", "-o", join(DIR, "x.elf"), join(DIR, "missing.beam"));
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^xbeam: \S+missing\.beam: cannot read \(ENOENT\)\n$/);
  });
});
