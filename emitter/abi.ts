// emitter/abi.ts — the one source of truth for xbeam's machine-level ABI.
//
// In: nothing.  Out: term tags, header words, pinned registers, the process
// struct's layout, the names of the runtime's shared fragments, and
// `abiInclude()`, the NASM text of runtime-asm/abi.inc, which is generated
// from this module (`npm run gen-abi`; a test fails when it is stale).
// The emitter and the loader import these values; the hand-written runtime
// includes abi.inc.  Nothing here is typed twice.  docs/abi.md explains the
// choices.

// ---------------------------------------------------------------------------
// Terms: BEAM's 32-bit tagging scheme.  A term is one 32-bit word.

/** The low 2 bits of every term. */
export const TAG = {
  PRIMARY_MASK: 0x3,
  HEADER: 0x0, // a header word (only on the heap, never a term)
  LIST: 0x1, // pointer to a cons cell (two words: head, tail)
  BOXED: 0x2, // pointer to a header word
  IMMED1: 0x3,

  /** Immediates of the first level: the low 4 bits. */
  IMMED1_MASK: 0xf,
  PID: 0x3,
  PORT: 0x7,
  IMMED2: 0xb,
  SMALL: 0xf,

  /** Immediates of the second level: the low 6 bits. */
  IMMED2_MASK: 0x3f,
  ATOM: 0x0b,
  CATCH: 0x1b,
  NIL: 0x3b,
} as const;

/** A small integer has 28 bits: value << 4 | TAG.SMALL. */
export const SMALL_BITS = 28;
export const SMALL_SHIFT = 4;
export const MAX_SMALL = (1 << (SMALL_BITS - 1)) - 1;
export const MIN_SMALL = -(1 << (SMALL_BITS - 1));
/** An atom is index << 6 | TAG.ATOM; a pid or port is number << 4 | tag. */
export const ATOM_SHIFT = 6;
export const PID_SHIFT = 4;

/** [] */
export const NIL = TAG.NIL;
/** "No value": what a failed guard BIF returns; never a valid term. */
export const NON_VALUE = 0;

/** Header words: arity << 6 | subtag.  The arity counts the words after the header. */
export const HEADER = {
  SUBTAG_MASK: 0x3f,
  ARITY_SHIFT: 6,
  ARITYVAL: 0x00, // tuple
  BIN_MATCHSTATE: 0x04,
  POS_BIG: 0x08,
  NEG_BIG: 0x0c,
  REF: 0x10,
  FUN: 0x14,
  FLOAT: 0x18,
  EXPORT: 0x1c,
  REFC_BIN: 0x20,
  HEAP_BIN: 0x24,
  REFC_BITS: 0x28, // a reference-counted bitstring that is not a whole number of bytes
  HEAP_BITS: 0x2c, // a bitstring that is not a whole number of bytes
  EXTERNAL_PID: 0x30,
  EXTERNAL_PORT: 0x34,
  EXTERNAL_REF: 0x38,
  MAP: 0x3c,
} as const;

/** A binary of more than ON_HEAP_BIN_LIMIT bytes (BEAM's limit) lives off
 *  the heap, in a block shared by reference count, and the heap holds a
 *  ProcBin: {header(REFC_BIN, 5), byte size, next, Binary, bytes, flags}, as
 *  large as BEAM's (erts_debug:size/1 agrees).  A bitstring of more than
 *  that many bytes that is not a whole number of them has header(REFC_BITS,
 *  5) and its size in bits (as HEAP_BIN and HEAP_BITS differ).  next chains the heap's
 *  ProcBins (P_MSO); Binary is the block: {refc, bits in use, bytes asked
 *  of the allocator, bytes of room} and the bytes from +16; bytes points
 *  into them (a part of a binary shares its Binary, as a BEAM sub-binary).
 *  flags: PB_WRITABLE while appends may grow the binary in place. */
export const ON_HEAP_BIN_LIMIT = 64;
export const PROCBIN = { SIZE: 4, NEXT: 8, VAL: 12, BYTES: 16, FLAGS: 20, WORDS: 6 } as const;
export const BINARY_BLOCK = { REFC: 0, SIZE: 4, ALLOC: 8, ROOM: 12, DATA: 16 } as const;
export const PB_WRITABLE = 1;
/** Bytes of reference-counted binaries a process may make or receive
 *  between two collections at least (BEAM's min_bin_vheap_size, 46,422
 *  words); after a collection, at least as many as survived it. */
export const BIN_VHEAP_MIN = 46422 * 4;

/** A reference of this node is {header(REF, 3), N0, N1, N2} (N2: an alias's
 *  owner); one of another node, read from the external term format, is
 *  {header(REF, 5), N0, N1, N2, Node atom, Creation}: both raw words. */
export const EXTERNAL_REF_ARITY = 5;

export const smallTerm = (n: number): number => ((n << SMALL_SHIFT) | TAG.SMALL) >>> 0;
export const atomTerm = (index: number): number => ((index << ATOM_SHIFT) | TAG.ATOM) >>> 0;
export const header = (arity: number, subtag: number): number => ((arity << HEADER.ARITY_SHIFT) | subtag) >>> 0;

// ---------------------------------------------------------------------------
// Registers.  x86-32 has seven registers besides esp; three are pinned.

export const REG = {
  /** The Erlang stack of the running process IS the machine stack, so that
   *  Erlang calls and returns are real call/ret and y registers are
   *  [esp + 4*n].  Return addresses are kept 4-byte aligned, so that on the
   *  stack they look like header words, which no term is: the GC can tell
   *  them from y registers without a frame map. */
  E: "esp",
  /** The running process's struct, read on every heap and reduction check. */
  P: "ebp",
  /** The heap top: allocation is an add, and the limit check a compare. */
  HTOP: "esi",
  /** Free for emitted code and for fragment arguments and results. */
  SCRATCH: ["eax", "ebx", "ecx", "edx", "edi"],
} as const;

/** Atoms: the image's, plus room for DYNAMIC_ATOMS made at run time (list_to_atom). */
export const MAX_ATOMS = 1 << 16;
export const DYNAMIC_ATOMS = 1 << 14;

/** X registers live in memory, in one array (one scheduler), at XREGS + 4*n. */
export const XREGS_SYMBOL = "xb_xregs";
export const MAX_XREGS = 1024;

/** Float registers ({fr,N}) are raw IEEE doubles in one array (one
 *  scheduler), at FREGS + 8*n.  The compiler never keeps one live across
 *  a call, so they need no saving on a process switch, and the collector
 *  never looks at them. */
export const FREGS_SYMBOL = "xb_fregs";
export const MAX_FREGS = 1024;

// ---------------------------------------------------------------------------
// The process struct.  Offsets in bytes from P.

const PROCESS_FIELDS = [
  ["HEND", "end of the heap: allocation must stay below it"],
  ["HEAP", "start of the heap"],
  ["HTOP", "the heap top, saved while the process is not running"],
  ["STACK_BASE", "one past the highest stack word (the stack grows down)"],
  ["STACK_LIMIT", "the lowest address the stack may reach"],
  ["ESP", "the stack pointer, saved while the process is not running"],
  ["FCALLS", "reductions left in this time slice"],
  ["ID", "the pid term"],
  ["FREASON", "the class (error, exit or throw atom) of the exception being raised"],
  ["FVALUE", "exception reason"],
  ["FSTACK", "stacktrace term of the last exception"],
  ["CATCHES", "number of active catch/try frames on the stack"],
  ["GC_COUNT", "number of collections so far"],
  ["HEAP_WORDS", "size of the current heap in words"],
  ["GC_GROW", "non-zero when the last collection left the heap more than 3/4 full"],
  ["STACK_BLOCK", "the stack's memory block (its lowest address), for growing and freeing it"],
  ["STACK_BYTES", "the stack block's size in bytes"],
  ["NEXT", "the next process in the run queue"],
  ["STATE", "PS_RUNNING, PS_RUNNABLE, PS_WAITING or PS_EXITING"],
  ["FLAGS", "PF_* bits: trap_exit, timed out, exit pending"],
  ["TIMER", "the armed receive timeout: its block in the timer list (timers.asm), or 0"],
  ["REDUCTIONS", "reductions used before the current time slice"],
  ["MAX_HEAP", "max_heap_size in words (0: none); beyond it, or beyond memory, the process dies"],
  ["MSO", "the reference-counted binaries of the heap: the last ProcBin made or copied here, chained through their next fields (raw pointers), or 0"],
  ["BIN_VHEAP", "bytes of reference-counted binaries made or copied into the heap since the last collection"],
  ["BIN_VLIMIT", "when BIN_VHEAP would pass it, making another such binary collects first"],
  ["APPLY_M", "the last function an apply or a fun M:F/A call resolved: its module (an atom; 0: none yet)"],
  ["APPLY_F", "... its name (an atom)"],
  ["APPLY_A", "... its arity (a number): a stack trace names it when a BIF called so fails (errors.asm)"],
  // From here to ROOTS_END: terms that the collector treats as roots.
  ["MSG_FIRST", "the message queue: a list whose cells are mutated to append and unlink"],
  ["MSG_LAST", "its last cell (a list term), or []"],
  ["MSG_SAVE", "the cell before the next message receive looks at, or [] (the first)"],
  ["DICT", "the process dictionary: a list of {Key, Value}"],
  ["MONITORS", "monitors on this process: a list of {Ref, WatcherPid}"],
  ["MONITORING", "monitors this process holds: a list of {Ref, TargetPid}"],
  ["LINKS", "linked pids: a list"],
  ["ALIASES", "the active aliases (references) of this process: a list"],
  ["GROUP_LEADER", "the group leader's pid"],
  ["REG_NAME", "the registered name, or []"],
  ["EXIT_REASON", "the reason of a pending exit signal (PF_EXIT_PENDING), or []"],
  ["MARK_POS", "the receive marker: the last cell of the queue when it was set ([]: none then)"],
  ["MARK_REF", "the reference the marker is bound to, or []"],
  ["TRACE", "PT_* bits: what is traced of this process (erlang:trace/3), 0 for nothing"],
  ["TRACER", "the pid its trace messages go to, while traced"],
  ["TRACE_REDS", "reductions left in the slice while traced: P_FCALLS then stays at 1, so that every function entry reaches xb_yield and the tracer (runtime-asm/trace.asm)"],
] as const;

/** The fields from ROOTS_FIRST up to (not including) ROOTS_END hold terms: roots of the collector. */
export const PROCESS_ROOTS = { FIRST: "MSG_FIRST", LAST: "EXIT_REASON" } as const;

/** P_STATE values. */
export const PROCESS_STATE = { RUNNING: 0, RUNNABLE: 1, WAITING: 2, EXITING: 3 } as const;

/** P_TRACE bits. */
export const PROCESS_TRACE = { CALL: 1, RUNNING: 2 } as const;

/** P_FLAGS bits. */
export const PROCESS_FLAG = { TRAP_EXIT: 1, TIMED_OUT: 2, EXIT_PENDING: 4 } as const;

/** Processes: the size of the table that maps a pid's number to its struct. */
export const MAX_PROCESSES = 1 << 18;

export type ProcessField = (typeof PROCESS_FIELDS)[number][0];

export const PROCESS: Readonly<Record<ProcessField, number>> = Object.fromEntries(
  PROCESS_FIELDS.map(([name], i) => [name, i * 4]),
) as Record<ProcessField, number>;
export const PROCESS_SIZE = PROCESS_FIELDS.length * 4;

// ---------------------------------------------------------------------------
// Atoms the runtime names itself.  The loader gives them these indices, in
// this order, before the atoms of any module.

export const FIXED_ATOMS = [
  "false", "true", "undefined", "ok", "error", "exit", "throw", "normal", "erlang",
  "badarith", "badarg", "badmatch", "case_clause", "if_clause", "function_clause", "undef",
  "badrecord", "badfun", "badarity", "system_limit", "nocatch", "try_clause",
  "second", "millisecond", "microsecond", "nanosecond", "native", "EXIT", "value",
  "infinity", "process", "DOWN", "noproc", "kill", "killed", "timeout_value", "trap_exit",
  "flush", "info", "nonode@nohost", "latin1", "badmap", "badkey", "iterator", "none",
  "registered_name", "status", "running", "runnable", "waiting", "exiting", "message_queue_len",
  "messages", "links", "dictionary", "heap_size", "total_heap_size", "stack_size", "memory",
  "reductions", "current_function", "initial_call", "group_leader", "alias", "timeout",
  "total", "processes", "processes_used", "all", "dynamic", "trace", "call", "return_from", "out", "in", "long",
] as const;

// ---------------------------------------------------------------------------
// Exception classes (FREASON), as in BEAM.

export const EXC = {
  ERROR: 1,
  EXIT: 2,
  THROW: 3,
} as const;

// ---------------------------------------------------------------------------
// Shared runtime fragments that emitted code calls.  Each fragment's header
// comment in runtime-asm/ states its register contract; the short form is
// repeated here, as the emitter relies on it.

export const FRAGMENTS = {
  gc: { symbol: "xb_gc", contract: "in: eax = words needed, ecx = live x registers; out: room for eax words; clobbers eax ebx ecx edx edi; the stack must hold only terms and aligned return addresses" },
  badmatch: { symbol: "xb_badmatch", contract: "in: eax = the term; does not return" },
  case_end: { symbol: "xb_case_end", contract: "in: eax = the term; does not return" },
  if_end: { symbol: "xb_if_end", contract: "does not return" },
  function_clause: { symbol: "xb_function_clause", contract: "in: eax = address of the MFA triple; does not return" },
  badarith: { symbol: "xb_badarith", contract: "does not return" },
  badarg: { symbol: "xb_badarg", contract: "does not return" },
  undef: { symbol: "xb_undef", contract: "in: eax = address of the MFA triple; does not return" },
  compare: { symbol: "xb_compare", contract: "in: eax, edx = terms; out: eax <0/0/>0 in term order; clobbers ebx ecx edx edi" },
  eq_exact: { symbol: "xb_eq_exact", contract: "in: eax, edx = terms; out: ZF set when exactly equal; clobbers ebx ecx edx edi" },
  arith_add: { symbol: "xb_arith_add", contract: "in: eax, edx = terms, ecx = live x; out: eax = sum or NON_VALUE (badarith); clobbers ebx ecx edx edi" },
  arith_sub: { symbol: "xb_arith_sub", contract: "as arith_add" },
  arith_mul: { symbol: "xb_arith_mul", contract: "as arith_add" },
  fconv: { symbol: "xb_fconv", contract: "in: eax = a term; out: xmm0 = its value as a double; raises badarith for a non-number or a bignum beyond the doubles; clobbers eax ebx edi xmm1 xmm2" },
  reductions_out: { symbol: "xb_yield", contract: "in: ecx = live x registers (at a function's entry: its arity); may run other processes; clobbers eax ebx ecx edx edi" },
  stack_grow: { symbol: "xb_stack_grow", contract: "called by CALLA at an instruction boundary when allocate went below P_STACK_LIMIT; moves the stack; clobbers eax ebx ecx edx edi" },
} as const;

export type FragmentName = keyof typeof FRAGMENTS;

// ---------------------------------------------------------------------------
// The generic mode (`build --generic`): instead of its specialized inline
// code, each data instruction becomes `CALLA xb_generic` followed by a
// record: the generic opcode, then each operand as two words {kind, value}.
// runtime-asm/generic.asm interprets the record and continues after it.

export const GENERIC_OPS = [
  "move", "get_list", "get_hd", "get_tl", "put_list", "put_tuple2", "get_tuple_element", "test_heap",
  "bif", "is_eq_exact", "is_ne_exact", "is_lt", "is_ge", "is_eq", "is_ne",
  "is_nil", "is_nonempty_list", "is_list", "is_atom", "is_integer", "is_tuple", "test_arity",
] as const;

export type GenericOp = (typeof GENERIC_OPS)[number];

/** Operand kinds in a generic record; the value word follows the kind word. */
export const GENERIC_OPERAND = {
  X: 1, // value: register number
  Y: 2, // value: register number
  CONST: 3, // value: the term (or an address: a label, a fragment)
  UNSIGNED: 4, // value: the number
} as const;

// ---------------------------------------------------------------------------
// The generated NASM include.

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

/** The text of runtime-asm/abi.inc. */
export function abiInclude(): string {
  const out: string[] = [
    "; runtime-asm/abi.inc — GENERATED from emitter/abi.ts by `npm run gen-abi`.",
    "; Do not edit: change emitter/abi.ts and regenerate (a test checks this file).",
    "",
    "; --- term tags",
  ];
  for (const [k, v] of Object.entries(TAG)) out.push(`%define TAG_${k} ${hex(v)}`);
  out.push(
    `%define SMALL_BITS ${SMALL_BITS}`,
    `%define SMALL_SHIFT ${SMALL_SHIFT}`,
    `%define MAX_SMALL ${MAX_SMALL}`,
    `%define MIN_SMALL (${MIN_SMALL})`,
    `%define ATOM_SHIFT ${ATOM_SHIFT}`,
    `%define PID_SHIFT ${PID_SHIFT}`,
    `%define NIL ${hex(NIL)}`,
    `%define NON_VALUE ${NON_VALUE}`,
    "",
    "; --- header words",
  );
  for (const [k, v] of Object.entries(HEADER)) out.push(`%define HDR_${k} ${hex(v)}`);
  out.push(`%define ON_HEAP_BIN_LIMIT ${ON_HEAP_BIN_LIMIT}`, `%define PB_WRITABLE ${PB_WRITABLE}`, `%define BIN_VHEAP_MIN ${BIN_VHEAP_MIN}`);
  out.push(`%define PROCBIN_HEADER ${hex(header(PROCBIN.WORDS - 1, HEADER.REFC_BIN))}`);
  for (const [k, v] of Object.entries(PROCBIN)) out.push(`%define PB_${k} ${v}`);
  for (const [k, v] of Object.entries(BINARY_BLOCK)) out.push(`%define BB_${k} ${v}`);
  out.push(`%define EXTERNAL_REF_HEADER ${hex(header(EXTERNAL_REF_ARITY, HEADER.REF))}`);
  out.push("", "; --- pinned registers");
  out.push(`%define E ${REG.E}`, `%define P ${REG.P}`, `%define HTOP ${REG.HTOP}`);
  out.push("", "; --- x registers", `%define XREGS ${XREGS_SYMBOL}`, `%define MAX_XREGS ${MAX_XREGS}`);
  out.push("", "; --- float registers", `%define FREGS ${FREGS_SYMBOL}`, `%define MAX_FREGS ${MAX_FREGS}`);
  out.push("", "; --- atoms", `%define MAX_ATOMS ${MAX_ATOMS}`, `%define DYNAMIC_ATOMS ${DYNAMIC_ATOMS}`);
  out.push("", "; --- process struct (offsets from P)");
  for (const [name, doc] of PROCESS_FIELDS) out.push(`%define P_${name} ${PROCESS[name]} ; ${doc}`);
  out.push(`%define PROCESS_SIZE ${PROCESS_SIZE}`);
  out.push(`%define P_ROOTS_FIRST ${PROCESS[PROCESS_ROOTS.FIRST]}`, `%define P_ROOTS_END ${PROCESS[PROCESS_ROOTS.LAST] + 4}`);
  for (const [k, v] of Object.entries(PROCESS_STATE)) out.push(`%define PS_${k} ${v}`);
  for (const [k, v] of Object.entries(PROCESS_FLAG)) out.push(`%define PF_${k} ${v}`);
  for (const [k, v] of Object.entries(PROCESS_TRACE)) out.push(`%define PT_${k} ${v}`);
  out.push(`%define MAX_PROCESSES ${MAX_PROCESSES}`);
  out.push("", "; --- atoms the runtime names (the loader puts them first)");
  FIXED_ATOMS.forEach((a, i) => out.push(`%define ATOM_${a} ${hex(atomTerm(i))}`));
  out.push("", "; --- exception classes");
  for (const [k, v] of Object.entries(EXC)) out.push(`%define EXC_${k} ${v}`);
  out.push("", "; --- the generic mode: opcodes, operand kinds, and the handler table");
  GENERIC_OPS.forEach((op, i) => out.push(`%define GOP_${op.toUpperCase()} ${i}`));
  for (const [k, v] of Object.entries(GENERIC_OPERAND)) out.push(`%define GOPK_${k} ${v}`);
  out.push("%macro GENERIC_TABLE 0", ...GENERIC_OPS.map((op) => `  dd g_${op}`), "%endmacro");
  out.push("", "; --- shared fragments (contracts in their headers)");
  for (const [k, f] of Object.entries(FRAGMENTS)) out.push(`%define FRAG_${k.toUpperCase()} ${f.symbol} ; ${f.contract}`);
  return out.join("\n") + "\n";
}
