// Bad input never crashes or hangs the reader: properties over mutated real .beam files.
//
// Every mutated file must either disassemble (both formats) or fail with a
// BeamError/DisasmError that names a byte offset; nothing else may escape,
// and no input may take long.  The CLI, given such files, prints one line
// per bad file to stderr and exits with status 1.

import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeBeam } from "../compiler/index.js";
import { BeamError } from "../compiler/errors.js";
import { DisasmError, disasmFunctions } from "../compiler/disasm-erlang.js";
import { disasmText } from "../compiler/disasm-text.js";
import { writeTerm } from "../compiler/write-term.js";
import { CACHE, otpInfo, ROOT } from "./helpers/erl.js";

const RUNS = 10_000;
/** Far above the ~1 ms a seed takes; only a runaway loop comes near it. */
const SLOW_MS = 2_000;

function seeds(): Uint8Array[] {
  const stdlib = join(otpInfo().root, "lib", `stdlib-${stdlibVersion()}`, "ebin");
  const dir = join(CACHE, "fuzz");
  mkdirSync(dir, { recursive: true });
  execFileSync("erlc", ["-o", dir, join(ROOT, "examples/hello.erl")]);
  const hello = readFileSync(join(dir, "hello.beam"));
  const files = ["maps", "queue", "base64", "math", "binary"].map((m) => readFileSync(join(stdlib, `${m}.beam`)));
  // The loader also takes gzip-compressed files; so must the reader.
  // Copies, as plain Uint8Arrays: a Buffer's slice() is a view, and the
  // mutations below must not write through to the seeds.
  return [hello, gzipSync(hello), ...files].map((b) => Uint8Array.from(b));
}

function stdlibVersion(): string {
  const out = execFileSync("erl", ["-noshell", "-eval", 'io:format("~s", [element(3, lists:keyfind(stdlib, 1, application:loaded_applications()))]), halt().']);
  return out.toString();
}

type Outcome = "ok" | "error";

/** Runs the whole front end; returns how it ended or throws what escaped. */
function disassembleAll(bytes: Uint8Array): Outcome {
  try {
    const { beam, code } = decodeBeam(bytes, "fuzz.beam");
    for (const f of disasmFunctions(beam, code)) writeTerm(f);
    disasmText(beam, code);
    return "ok";
  } catch (e) {
    if (e instanceof BeamError) {
      expect(Number.isInteger(e.offset) && e.offset >= 0).toBe(true);
      expect(e.oneLine()).toMatch(/^fuzz\.beam: byte \d+: [^\n]+$/);
      return "error";
    }
    if (e instanceof DisasmError) {
      expect(e.offset).toBeGreaterThanOrEqual(0);
      return "error";
    }
    throw e;
  }
}

/** A mutation of a byte array: the new bytes. */
type Mutation = (b: Uint8Array) => Uint8Array;

/** A relative position in [0, 1), spread evenly (fast-check's doubles favour the ends). */
const where = fc.noBias(fc.integer({ min: 0, max: 999_999 })).map((n) => n / 1_000_000);

// Weighted towards small changes inside chunks, which reach the deeper
// decoders; structural ones (truncation, shifting) mostly stop at the container.
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  // Truncate anywhere.
  where.map((p): Mutation => (b) => b.slice(0, Math.floor(p * b.length))),
  // Flip a few bits.
  { weight: 5, arbitrary: fc.array(fc.tuple(where, fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 8 })
    .map((flips): Mutation => (b) => {
      const out = b.slice();
      for (const [p, bit] of flips) {
        const i = Math.min(out.length - 1, Math.floor(p * out.length));
        out[i] = out[i]! ^ (1 << bit);
      }
      return out;
    }) },
  // Overwrite a run of bytes with random ones.
  { weight: 2, arbitrary: fc.tuple(where, fc.uint8Array({ minLength: 1, maxLength: 16 }))
    .map(([p, bytes]): Mutation => (b) => {
      const out = b.slice();
      out.set(bytes.subarray(0, Math.max(0, out.length - Math.floor(p * out.length))), Math.floor(p * out.length));
      return out;
    }) },
  // Set a 32-bit word, aligned like the chunk fields, to a value that is
  // interesting as a length or count.
  fc.tuple(where, fc.constantFrom(0, 1, 0x7f, 0xff, 0xffff, 0x7fffffff, 0xffffffff, 0x1000000))
    .map(([p, v]): Mutation => (b) => {
      const out = b.slice();
      const at = Math.floor((p * (out.length - 4)) / 4) * 4;
      if (out.length >= 4) new DataView(out.buffer, out.byteOffset).setUint32(at, v >>> 0);
      return out;
    }),
  // Insert or delete bytes.
  fc.tuple(where, fc.integer({ min: -16, max: 16 }))
    .map(([p, n]): Mutation => (b) => {
      const at = Math.floor(p * b.length);
      if (n < 0) return Uint8Array.from([...b.subarray(0, at), ...b.subarray(Math.min(b.length, at - n))]);
      return Uint8Array.from([...b.subarray(0, at), ...new Uint8Array(n).fill(0xa5), ...b.subarray(at)]);
    }),
);

describe("mutated .beam files", () => {
  const seedFiles = seeds();

  it("the seeds themselves disassemble", () => {
    for (const s of seedFiles) expect(disassembleAll(s)).toBe("ok");
  });

  it(`${RUNS} mutations: a BeamError with an offset, or a disassembly; never a crash or a hang`, () => {
    const outcomes = { ok: 0, error: 0 };
    fc.assert(
      fc.property(fc.nat(seedFiles.length - 1), fc.array(mutation, { minLength: 1, maxLength: 2 }), (seed, ms) => {
        const bytes = ms.reduce((b, m) => m(b), seedFiles[seed]!);
        const t0 = performance.now();
        outcomes[disassembleAll(bytes)]++;
        expect(performance.now() - t0).toBeLessThan(SLOW_MS);
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? 20261127) },
    );
    // Both ends must be exercised for the property to mean anything.
    expect(outcomes.error).toBeGreaterThan(RUNS / 4);
    expect(outcomes.ok).toBeGreaterThan(RUNS / 20);
    console.log(`fuzz: ${outcomes.ok} disassembled, ${outcomes.error} rejected`);
  });

  it("random bytes and empty files are rejected cleanly", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
        expect(disassembleAll(b)).toBe("error");
      }),
      { numRuns: 500 },
    );
    // A valid header over garbage, so that the chunk walker runs.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (body) => {
        const head = new Uint8Array(12);
        head.set([0x46, 0x4f, 0x52, 0x31], 0); // FOR1
        new DataView(head.buffer).setUint32(4, body.length + 4);
        head.set([0x42, 0x45, 0x41, 0x4d], 8); // BEAM
        expect(disassembleAll(Uint8Array.from([...head, ...body]))).toBe("error");
      }),
      { numRuns: 500 },
    );
  });

  it("the CLI prints one line per bad file, with the file and byte offset, and exits 1", () => {
    const dir = mkdtempSync(join(CACHE, "fuzz/cli-"));
    const good = join(dir, "good.beam");
    writeFileSync(good, seedFiles[0]!);
    const bad = [
      ["truncated.beam", seedFiles[2]!.slice(0, 1000)],
      ["not-beam.beam", Buffer.from("this is not a beam file\n")],
      ["empty.beam", new Uint8Array(0)],
      ["bad-code.beam", (() => { const b = seedFiles[0]!.slice(); b.fill(0xff, 200, 240); return b; })()],
    ] as const;
    for (const [name, bytes] of bad) writeFileSync(join(dir, name), bytes);
    const paths = [good, ...bad.map(([n]) => join(dir, n)), join(dir, "missing.beam")];
    for (const format of ["text", "erlang"]) {
      const r = spawnSync("node", [join(ROOT, "dist/cli/xbeam.js"), "disasm", "--format", format, ...paths], { encoding: "latin1" });
      expect(r.status).toBe(1);
      const lines = r.stderr.trimEnd().split("\n");
      expect(lines.length).toBe(bad.length + 1);
      for (const l of lines) expect(l).toMatch(/^xbeam: \/\S+\.beam: byte \d+: \S.*$/);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(r.stdout.length).toBeGreaterThan(0); // the good file still printed
    }
  });
});
