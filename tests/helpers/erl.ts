// tests/helpers/erl.ts — running Debian's erl, the test oracle.
//
// erlEval runs an expression under `erl -noshell` and returns its stdout as
// bytes; compileOracle compiles an Erlang helper module from tests/oracle
// into .cache/oracle/ebin (again only when the source is newer).

import { execFileSync } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const CACHE = join(ROOT, ".cache");

/** Runs `erl -noshell` with extra code paths and an expression; stdout bytes. */
export function erlEval(expr: string, paths: string[] = [], input?: string | Uint8Array): Buffer {
  const args = ["-noshell", ...paths.flatMap((p) => ["-pa", p]), "-eval", `${expr}, halt().`];
  // No erl_crash.dump files in the work tree when an expression fails.
  const env = { ...process.env, ERL_CRASH_DUMP_SECONDS: "0" };
  return execFileSync("erl", args, { maxBuffer: 1 << 30, input, env, stdio: ["pipe", "pipe", "inherit"] });
}

/** Compiles tests/oracle/NAME.erl once; returns the directory of its .beam. */
export function compileOracle(name: string): string {
  const src = join(ROOT, "tests/oracle", `${name}.erl`);
  const ebin = join(CACHE, "oracle/ebin");
  const beam = join(ebin, `${name}.beam`);
  mkdirSync(ebin, { recursive: true });
  let stale = true;
  try {
    stale = statSync(beam).mtimeMs < statSync(src).mtimeMs;
  } catch {
    // not compiled yet
  }
  if (stale) execFileSync("erlc", ["-o", ebin, src], { stdio: ["ignore", "inherit", "inherit"] });
  return ebin;
}

export interface OtpInfo {
  /** e.g. "25" */
  readonly release: string;
  /** erts version, e.g. "13.1.5" */
  readonly erts: string;
  /** code:root_dir() */
  readonly root: string;
}

let otp: OtpInfo | undefined;

export function otpInfo(): OtpInfo {
  if (!otp) {
    const [release, erts, root] = erlEval(
      'io:format("~s~n~s~n~s~n", [erlang:system_info(otp_release), erlang:system_info(version), code:root_dir()])',
    ).toString("utf8").trim().split("\n");
    otp = { release: release!, erts: erts!, root: root! };
  }
  return otp;
}
