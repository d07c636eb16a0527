// Emitted assembly for hand-made instructions the compiler rarely produces.

import { describe, expect, it } from "vitest";
import type { Instr, Operand } from "../compiler/code.js";
import type { DecodedModule } from "../compiler/index.js";
import { emitModule, type Linkage } from "../emitter/emit.js";

const op = (name: Instr["name"], args: Operand[]): Instr => ({ op: 0, name, args, offset: 0 });
const u = (value: number): Operand => ({ kind: "u", value });

function emitFunctionBody(body: Instr[]): string[] {
  const code = [
    op("label", [u(1)]), op("func_info", [{ kind: "atom", value: "m" }, { kind: "atom", value: "f" }, u(0)]),
    op("label", [u(2)]), ...body, op("return", []), op("int_code_end", []),
  ];
  const mod = { beam: { module: "m", imports: [], lambdas: [], exports: [] }, code } as unknown as DecodedModule;
  const link: Linkage = { atom: () => 3, callTarget: () => null, guardBif: () => null, funIndex: () => 0, catchIndex: () => 0, override: () => null, isBif: () => false, hidden: () => false };
  return emitModule(mod, link).asm.split("\n").map((l) => l.trim());
}

describe("emitter", () => {
  it("is_nil on a constant loads it before comparing", () => {
    const asm = emitFunctionBody([op("is_nil", [{ kind: "f", label: 1 }, { kind: "atom", value: "a" }])]);
    const at = asm.indexOf("cmp dword eax, 0x3b");
    expect(at).toBeGreaterThan(0);
    expect(asm[at - 1]).toBe("mov eax, 0xcb");
  });
});
