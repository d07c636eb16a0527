// The opcode table against the installed OTP's beam_opcodes module.

import { describe, expect, it } from "vitest";
import { MAX_OPCODE, OPCODES, opcodeByName } from "../compiler/opcodes.js";
import { erlEval } from "./helpers/erl.js";

describe("opcode table", () => {
  it("has OTP's number, name and arity for every opcode", () => {
    const expr = `[io:format("~w ~s ~w~n", [N, element(1, beam_opcodes:opname(N)), element(2, beam_opcodes:opname(N))]) || N <- lists:seq(1, ${MAX_OPCODE})]`;
    const rows = erlEval(expr).toString().trimEnd().split("\n");
    expect(rows.length).toBe(MAX_OPCODE);
    for (const row of rows) {
      const [n, name, arity] = row.split(" ");
      expect(OPCODES[Number(n)]).toEqual({ op: Number(n), name, arity: Number(arity) });
    }
  });

  it("knows no opcode past OTP 25's last", () => {
    expect(OPCODES[0]).toBeUndefined();
    expect(OPCODES[MAX_OPCODE + 1]).toBeUndefined();
    expect(opcodeByName("badrecord").op).toBe(MAX_OPCODE);
  });
});
