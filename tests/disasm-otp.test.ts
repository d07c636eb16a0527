// The disassembler against OTP's own, on every .beam file of the installed OTP.
//
// For each file, `xbeam disasm --format erlang` must print byte for byte
// what io:format("~w.~n", [F]) prints for each F in beam_disasm:file/1's
// code list.  The oracle's output is cached under .cache/oracle/disasm/,
// per OTP version and per file content, so a second run only runs erl for
// files it has not seen.
//
// One exception, explained in tests/oracle/disasm_oracle.erl: a literal map
// of more than 32 keys that contain atoms is printed in an order that
// depends on the oracle VM's atom table, not on the file.  For the files
// that have one (ssl.beam in OTP 25), xbeam must match the oracle's
// canonical text, in which only those maps have their keys sorted.

import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeBeam } from "../compiler/index.js";
import { disasmFunctions } from "../compiler/disasm-erlang.js";
import { writeTerm } from "../compiler/write-term.js";
import { CACHE, compileOracle, erlEval, otpInfo, ROOT } from "./helpers/erl.js";

function beamFilesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith(".beam")) out.push(p);
    }
  };
  walk(dir);
  return out;
}

interface Expected {
  /** What ~w prints in the oracle VM. */
  readonly text: Buffer;
  /** The canonical text, where it differs (VM-dependent map order). */
  readonly canonical: Buffer | null;
}

/** Oracle output for each file, from the cache or from one batch run of erl. */
function oracleOutputs(files: readonly string[], hashes: readonly string[]): Expected[] {
  const otp = otpInfo();
  // A change to the oracle's source invalidates what it wrote before.
  const oracleSrc = readFileSync(join(ROOT, "tests/oracle/disasm_oracle.erl"));
  const oracleHash = createHash("sha1").update(oracleSrc).digest("hex").slice(0, 10);
  const dir = join(CACHE, "oracle/disasm", `otp${otp.release}-erts${otp.erts}-${oracleHash}`);
  mkdirSync(dir, { recursive: true });
  const missing = files.map((_, i) => i).filter((i) => !existsSync(join(dir, `${hashes[i]}.w`)));
  if (missing.length > 0) {
    const ebin = compileOracle("disasm_oracle");
    const tmp = mkdtempSync(join(dir, "run-"));
    const list = join(tmp, "files.txt");
    writeFileSync(list, missing.map((i) => files[i]).join("\n") + "\n");
    erlEval(`disasm_oracle:main(["${tmp}", "${list}"])`, [ebin]);
    missing.forEach((i, n) => {
      // The .c file first: a present .w marks the entry complete.
      if (existsSync(join(tmp, `${n}.c`))) renameSync(join(tmp, `${n}.c`), join(dir, `${hashes[i]}.c`));
      renameSync(join(tmp, `${n}.w`), join(dir, `${hashes[i]}.w`));
    });
    rmSync(tmp, { recursive: true });
  }
  return hashes.map((h) => ({
    text: readFileSync(join(dir, `${h}.w`)),
    canonical: existsSync(join(dir, `${h}.c`)) ? readFileSync(join(dir, `${h}.c`)) : null,
  }));
}

function xbeamErlang(bytes: Uint8Array, file: string): Buffer {
  const { beam, code } = decodeBeam(bytes, file);
  return Buffer.from(disasmFunctions(beam, code).map((f) => writeTerm(f) + ".\n").join(""), "latin1");
}

/** The first differing line, for a readable failure message. */
function firstDifference(expected: Buffer, got: Buffer): string {
  const e = expected.toString("latin1").split("\n"), g = got.toString("latin1").split("\n");
  let k = 0;
  while (k < e.length && e[k] === g[k]) k++;
  const el = e[k] ?? "", gl = g[k] ?? "";
  let c = 0;
  while (c < el.length && el[c] === gl[c]) c++;
  const from = Math.max(0, c - 60);
  return `line ${k + 1}, column ${c + 1}:\n  erl:   ${el.slice(from, c + 100)}\n  xbeam: ${gl.slice(from, c + 100)}`;
}

describe("disasm --format erlang matches beam_disasm", () => {
  const libDir = join(otpInfo().root, "lib");
  const files = beamFilesUnder(libDir);

  it("finds the installed OTP's .beam files", () => {
    // erlang-base alone has a few hundred; the test set-up installs all of OTP.
    expect(files.length).toBeGreaterThan(250);
  });

  it(`prints identical bytes for every .beam file under ${libDir}`, () => {
    const contents = files.map((f) => readFileSync(f));
    const hashes = contents.map((b) => createHash("sha1").update(b).digest("hex"));
    const expected = oracleOutputs(files, hashes);
    const failures: string[] = [];
    for (let i = 0; i < files.length; i++) {
      const want = expected[i]!.canonical ?? expected[i]!.text;
      expect(want.toString("latin1")).not.toBe("error\n");
      let got: Buffer;
      try {
        got = xbeamErlang(contents[i]!, files[i]!);
      } catch (e) {
        failures.push(`${files[i]}: ${(e as Error).message}`);
        continue;
      }
      if (!got.equals(want)) failures.push(`${files[i]}: ${firstDifference(want, got)}`);
    }
    expect(failures.slice(0, 5).join("\n")).toBe("");
    expect(failures.length).toBe(0);
    // The exception is rare; if it were common the test would prove little.
    expect(expected.filter((e) => e.canonical !== null).length).toBeLessThanOrEqual(3);
  });

  it("the CLI prints the same for a directory as for its files", () => {
    const dir = join(libDir, readdirSync(libDir).find((d) => d.startsWith("stdlib-"))!, "ebin");
    const cli = join(ROOT, "dist/cli/xbeam.js");
    const out = execFileSync("node", [cli, "disasm", "--format", "erlang", dir], { maxBuffer: 1 << 30 });
    const each = Buffer.concat(beamFilesUnder(dir).map((f) => xbeamErlang(readFileSync(f), f)));
    expect(out.equals(each)).toBe(true);
    expect(out.length).toBeGreaterThan(100_000);
  });
});
