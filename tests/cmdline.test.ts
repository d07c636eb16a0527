// tests/cmdline.test.ts — the image's command line: init's arguments and
// the entry's (an entry of arity 1 gets the plain arguments, as `erl -run`
// gives them), on every host: linux (argv), QEMU (-append into the PVH
// start info), Xen's dom0 (the module's arguments) and a Xen guest (xl's
// `cmdline`).  Compared with erl given the same words.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { build } from "../loader/build.js";
import { CACHE_DIR, ROOT } from "../loader/paths.js";
import { runImage, type VmmOptions } from "../loader/vmm.js";

const OUT = join(CACHE_DIR, "cmdline");
const WORDS = "a b -foo x y -foo z -bar -extra p -q r";

describe("the command line", () => {
  let want = "";
  beforeAll(() => {
    mkdirSync(OUT, { recursive: true });
    execFileSync("erlc", ["-o", OUT, join(ROOT, "tests/cmdline/show_args.erl")]);
    // erl's own flags go before -extra, the program's words around them.
    const [before, after] = WORDS.split(" -extra ");
    const argv = [...before!.split(" "), "-noshell", "-pa", OUT, "-eval", "show_args:main(init:get_plain_arguments()), halt().", "-extra", ...after!.split(" ")];
    want = spawnSync("erl", argv).stdout.toString();
    expect(want).toContain('main/1 got ["a","b","p","-q","r"]');
  });

  const hosts: [string, VmmOptions][] = [
    ["linux", { target: "linux" }],
    ["qemu", { target: "pvh", vmm: "qemu" }],
    ["xen-dom0", { target: "pvh", vmm: "xen-dom0" }],
    ["xen-guest", { target: "pvh", vmm: "xen-guest" }],
  ];
  it.each(hosts)("reaches main/1 and init as erl's does (%s)", async (name, opts) => {
    const image = join(OUT, `show_args.${name}.elf`);
    await build({ inputs: [join(OUT, "show_args.beam")], output: image, target: opts.target! });
    const got = await runImage(image, { ...opts, cmdline: WORDS });
    expect(got.stdout.toString()).toBe(want);
    expect(got.status).toBe(0);
  }, 180_000);

  it("is empty when none is given", async () => {
    const image = join(OUT, "show_args.linux.elf");
    await build({ inputs: [join(OUT, "show_args.beam")], output: image, target: "linux" });
    const got = await runImage(image, {});
    expect(got.stdout.toString()).toBe("main/1 got []\nplain []\nfoo error\nbar error\nnope error\n");
  });
});
