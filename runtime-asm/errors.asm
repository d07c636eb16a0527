; runtime-asm/errors.asm — raising exceptions, catching them, and crashing.
;
; An exception is a class (the atom error, exit or throw, in P_FREASON) and
; a reason (P_FVALUE).  `try` and `catch` put a catch tag in a y register:
; TAG_CATCH with the index of the handler in xb_catch_table.  Raising scans
; the Erlang stack upward for a catch tag; the frame that holds it starts
; just above the last return address passed on the way (or at the raiser's
; own stack pointer, if none was).
;
; Before that, the raise records where it happened (docs/abi.md, "Stack
; traces"): the call sites found on the stack (return addresses that are in
; the xb_sites table the emitter writes), how the exception was raised
; (raise_mode) and what the first frame needs (the arguments of a BIF or of
; a function that had no matching clause).  On the handler's frame, where
; the collector may run, that becomes the raw stacktrace: a tuple
; {Class, Mode, TopMFA | [], Args, Extra1, Extra2, [Site index...], Depth}
; that runtime-erl/xbeam_stack.erl turns into BEAM's list.  A re-raise
; passes on the raw stacktrace it was given (erlang:raise/3's list goes in
; Extra1 of a new one, so that it carries its class as the others do).
;
; The handler runs with x0 = NON_VALUE, x1 = class, x2 = reason, x3 = the
; raw stacktrace.  With no catch on the stack, the stack is emptied and
; xbeam_stack:uncaught/4 reports the crash and ends the process (the first
; process's end is the VM's, with status 1).
;
; Erlang code enters the raising fragments by CALLA (CALLS): the return
; address is the site of the raise.  Fragments that build a reason term may
; collect: the stack holds only terms and return addresses then.
%include "macros.inc"

global xb_badmatch, xb_case_end, xb_if_end, xb_badrecord, xb_function_clause, xb_undef
global xb_badarith, xb_badarg, xb_raise_pending, xb_raise_atom, xb_fun_entry, xb_try_clause
global xb_raise, xb_raw_raise, xb_reraise, xb_raise_pair, xb_find_site
global xb_erl_throw_1, xb_erl_error_1, xb_erl_error_2, xb_erl_error_3, xb_erl_exit_1
global xb_bs_fail, xb_bif_fail, xb_bif_args, xb_site_info_1, xb_backtrace_depth_1, xb_erl_process_exit_1, xb_error_display_1
extern xb_print_term, xb_print_bytes, xb_print_flush, xb_print_to_stderr, xb_print_to_stdout
extern xb_xregs, xb_fun_table, xb_catch_table, xb_gc, xb_lookup_export
extern xb_main_process, xb_process_exit, xb_exit, __start_xb_sites, __stop_xb_sites
extern xb_bs_segments, xb_guard_reason
extern F.xbeam_5f_stack.uncaught.4

; How an exception was raised: the first frame of its trace depends on it.
RM_BIF      equ 0                   ; in a fragment or a BIF: a BIF frame if a BIF was called
RM_PLAIN    equ 1                   ; error/1, exit/1, throw/1: the caller's frame
RM_ARGS     equ 2                   ; error/2,3: the caller's frame with these arguments
RM_CLAUSE   equ 3                   ; function_clause: the function's frame with its arguments
RM_UNDEF    equ 4                   ; undef: a frame {M, F, Args, []} first
RM_BIFFAIL  equ 5                   ; a guard BIF failed in a body: its frame first
RM_PRESET   equ 6                   ; a re-raise: the raw stacktrace is given
RM_BSFAIL   equ 7                   ; constructing a binary failed: error_info in the caller's frame

MAX_SITES   equ 64                  ; call sites recorded per exception
SITE_DYNAMIC equ 1                  ; a site's BIF word for apply and fun calls
SITE_BYTES  equ 16                  ; {return address, function record, line word, BIF mfa}

; MFA_TUPLE reg — at HTOP (room made), the tuple {M, F, A} of the
; {M atom, F atom, arity} words reg points at; ebx = the tuple.  Clobbers ecx.
%macro MFA_TUPLE 1
  mov dword [esi], (3 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov ecx, [%1]
  mov [esi + 4], ecx
  mov ecx, [%1 + 4]
  mov [esi + 8], ecx
  mov ecx, [%1 + 8]
  TAG_SMALL_INT ecx
  mov [esi + 12], ecx
  lea ebx, [esi + TAG_BOXED]
  add esi, 16
%endmacro

section .data
align 4
backtrace_depth: dd 8               ; erlang:system_flag(backtrace_depth, N)
raise_extra: dd NIL, NIL            ; terms: RM_ARGS's arguments and options; RM_PRESET's raw stacktrace

section .bss
export_mfa: resd 3                  ; {M, F, A} of the export fun being called
xb_bif_args: resd 3                 ; a failed guard BIF's arguments (emitted stubs)
raise_mode: resd 1
raise_top: resd 1                   ; the {M, F, A} words of RM_UNDEF, RM_BIFFAIL, RM_CLAUSE
raise_nargs: resd 1
raise_args: resd 256
site_count: resd 1
dynamic_mfa: resd 3
uncaught_pid: resd 1                ; the process reporting its crash                 ; the function a dynamic call site called
site_buf: resd MAX_SITES
caught_at: resd 2                   ; the handler and the frame it runs on

section .text

; ---------------------------------------------------------------------------
; Raising.

;; xb_raise — in: P_FREASON, P_FVALUE set; raise_mode (and what the mode
;; needs) set, RM_BIF by default.  Does not return.
xb_raise:
  call record_trace                 ; (an unaligned return address: nothing collects below)
  cmp dword [ebp + P_CATCHES], 0
  je uncaught
  mov ebx, esp                      ; where the raiser's frame starts
  mov ecx, esp
.scan:
  cmp ecx, [ebp + P_STACK_BASE]
  jae uncaught
  mov eax, [ecx]
  test eax, TAG_PRIMARY_MASK
  jnz .not_return_address
  lea ebx, [ecx + 4]                ; a return address: the next frame starts above it
  jmp .next
.not_return_address:
  mov edx, eax
  and edx, TAG_IMMED2_MASK
  cmp edx, TAG_CATCH
  je .caught
.next:
  add ecx, 4
  jmp .scan
.caught:                            ; (try_case or catch_end counts the catch off)
  mov esp, ebx
  shr eax, ATOM_SHIFT               ; the catch index (same shift as atoms)
  mov edx, [xb_catch_table + 4 * eax]
  mov [caught_at], edx
  CALLA raw_trace                   ; x1 = class, x2 = reason, x3 = raw
  mov dword [xb_xregs], NON_VALUE
  jmp [caught_at]

;; last_apply — out: eax = dynamic_mfa, the {M, F, A} words of what the
;; process's last apply (or fun M:F/A call) resolved.
last_apply:
  mov eax, [ebp + P_APPLY_M]
  mov [dynamic_mfa], eax
  mov eax, [ebp + P_APPLY_F]
  mov [dynamic_mfa + 4], eax
  mov eax, [ebp + P_APPLY_A]
  mov [dynamic_mfa + 8], eax
  mov eax, dynamic_mfa
  ret

;; record_trace — the call sites above the raiser and the first frame's
;; arguments, into site_buf and raise_args.  Clobbers eax ebx ecx edx edi.
record_trace:
  mov dword [site_count], 0
  mov dword [raise_nargs], 0
  cmp dword [raise_mode], RM_PRESET
  je .done
  lea ecx, [esp + 4]
.walk:
  cmp ecx, [ebp + P_STACK_BASE]
  jae .walked
  cmp dword [site_count], MAX_SITES
  jae .walked
  mov eax, [ecx]
  test eax, TAG_PRIMARY_MASK
  jnz .next
  call find_site                    ; edx = the site, or 0
  test edx, edx
  jz .next
  mov eax, edx
  sub eax, __start_xb_sites
  shr eax, 4                        ; its index
  mov edi, [site_count]
  mov [site_buf + 4 * edi], eax
  inc dword [site_count]
.next:
  add ecx, 4
  jmp .walk
.walked:
  ; The first frame's arguments.
  mov eax, [raise_mode]
  cmp eax, RM_BIF
  je .bif
  cmp eax, RM_BIFFAIL
  je .biffail
  cmp eax, RM_CLAUSE
  je .xregs
  cmp eax, RM_UNDEF
  je .xregs
.done:
  ret
.bif:                               ; raised inside a BIF: its call site names it
  cmp dword [site_count], 0
  je .done
  mov eax, [site_buf]
  shl eax, 4
  mov eax, [__start_xb_sites + eax + 12]
  test eax, eax
  jz .done
  cmp eax, SITE_DYNAMIC             ; apply or a fun: what it called last
  jne .named
  call last_apply
.named:
  mov [raise_top], eax
.xregs:                             ; the arguments: from the x registers,
  mov edx, xb_xregs
  jmp .copy_from
.biffail:                           ; or where a failed guard BIF's stub put them
  mov edx, xb_bif_args
.copy_from:
  mov eax, [raise_top]
  mov ecx, [eax + 8]
  mov [raise_nargs], ecx
.copy:
  dec ecx
  js .done
  mov eax, [edx + 4 * ecx]
  mov [raise_args + 4 * ecx], eax
  jmp .copy

;; find_site — in: eax = a return address.  out: edx = its xb_sites entry,
;; or 0.  A binary search: the table is in address order (each module's
;; sites in code order, the modules in link order).  Keeps ecx; clobbers
;; edi.  (xb_find_site: the same, for runtime-asm/trace.asm.)
xb_find_site:
find_site:
  push ecx
  push esi
  mov esi, __start_xb_sites         ; low
  mov edi, __stop_xb_sites          ; high (exclusive)
.loop:
  cmp esi, edi
  jae .none
  mov ecx, edi
  sub ecx, esi
  shr ecx, 5
  shl ecx, 4                        ; half the entries, in bytes
  lea edx, [esi + ecx]
  cmp eax, [edx]
  je .found
  jb .lower
  lea esi, [edx + SITE_BYTES]
  jmp .loop
.lower:
  mov edi, edx
  jmp .loop
.none:
  xor edx, edx
.found:
  pop esi
  pop ecx
  ret

;; raw_trace — on a frame where the collector may run: the raw stacktrace
;; from what record_trace kept.  out: x1 = class, x2 = reason, x3 = raw.
;; Clobbers eax ebx ecx edx edi.
raw_trace:
  mov eax, [ebp + P_FREASON]
  mov [xb_xregs + 4], eax
  mov eax, [ebp + P_FVALUE]
  mov [xb_xregs + 8], eax
  mov eax, [raise_extra]
  mov [xb_xregs + 12], eax
  cmp dword [raise_mode], RM_PRESET
  jne .record
  mov ecx, eax                      ; a raw stacktrace (a tuple) passes on,
  and ecx, TAG_PRIMARY_MASK         ; with the class of this raise
  cmp ecx, TAG_BOXED
  jne .record
  mov ecx, [ebp + P_FREASON]
  cmp ecx, [eax - TAG_BOXED + 4]
  je .done
  mov dword [xb_xregs], NIL
  mov eax, 9
  mov ecx, 4
  ENSURE_HEAP
  mov edx, [xb_xregs + 12]
  mov ecx, 9
.copy:
  dec ecx
  js .copied
  mov eax, [edx - TAG_BOXED + 4 * ecx]
  mov [esi + 4 * ecx], eax
  jmp .copy
.copied:
  mov eax, [ebp + P_FREASON]
  mov [esi + 4], eax
  lea eax, [esi + TAG_BOXED]
  add esi, 36
  mov [xb_xregs + 12], eax
  jmp .done
.record:
  mov eax, [raise_extra + 4]
  mov [xb_xregs + 16], eax
  mov dword [xb_xregs], NIL
  mov ecx, [raise_nargs]            ; the arguments: roots while it collects
.args:
  dec ecx
  js .room
  mov eax, [raise_args + 4 * ecx]
  mov [xb_xregs + 20 + 4 * ecx], eax
  jmp .args
.room:
  mov eax, [raise_nargs]
  add eax, [site_count]
  lea eax, [2 * eax + 13]           ; cells, the raw tuple (9), the {M, F, A} (4)
  mov ecx, [raise_nargs]
  add ecx, 5
  ENSURE_HEAP
  ; The sites, as small integers.
  mov edx, NIL
  mov ecx, [site_count]
.sites:
  dec ecx
  js .args_list
  mov eax, [site_buf + 4 * ecx]
  TAG_SMALL_INT eax
  CONS eax
  jmp .sites
.args_list:
  mov edi, edx
  mov edx, NIL
  mov ecx, [raise_nargs]
.arg:
  dec ecx
  js .top
  mov eax, [xb_xregs + 20 + 4 * ecx]
  CONS eax
  jmp .arg
.top:
  mov ebx, NIL                      ; {M, F, A} of the first frame, or []
  mov eax, [raise_mode]
  cmp eax, RM_BIF
  je .top_if_args
  cmp eax, RM_UNDEF
  je .mfa
  cmp eax, RM_BIFFAIL
  je .mfa
  cmp eax, RM_CLAUSE
  je .mfa
  cmp eax, RM_ARGS                  ; error/2,3 in the runtime's Erlang under
  jne .tuple                        ; an apply: what the apply called
  cmp dword [ebp + P_APPLY_M], 0
  je .tuple
  call last_apply
  MFA_TUPLE eax
  jmp .tuple
.top_if_args:
  cmp dword [raise_nargs], 0        ; (a BIF of arity 0 has no frame of its own here)
  je .tuple
.mfa:
  mov eax, [raise_top]
  MFA_TUPLE eax
.tuple:
  mov dword [esi], (8 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov eax, [ebp + P_FREASON]
  mov [esi + 4], eax
  mov eax, [raise_mode]
  TAG_SMALL_INT eax
  mov [esi + 8], eax
  mov [esi + 12], ebx
  mov [esi + 16], edx
  mov eax, [xb_xregs + 12]
  mov [esi + 20], eax
  mov eax, [xb_xregs + 16]
  mov [esi + 24], eax
  mov [esi + 28], edi
  mov eax, [backtrace_depth]
  TAG_SMALL_INT eax
  mov [esi + 32], eax
  lea eax, [esi + TAG_BOXED]
  add esi, 36
  mov [xb_xregs + 12], eax
.done:
  mov dword [raise_mode], RM_BIF
  mov dword [raise_extra], NIL
  mov dword [raise_extra + 4], NIL
  ret

;; No catch: the stack is dead.  xbeam_stack:uncaught(Class, Reason, Raw,
;; IsFirstProcess) reports it and ends the process (or the VM).  Should
;; the report itself raise, the process ends with the reason it had (the
;; first process: the VM, status 1) rather than report again.
uncaught:
  mov eax, [ebp + P_ID]
  cmp [uncaught_pid], eax
  je .again
  mov [uncaught_pid], eax
  mov esp, [ebp + P_STACK_BASE]
  CALLA raw_trace
  mov eax, [xb_xregs + 4]
  mov [xb_xregs], eax
  mov eax, [xb_xregs + 8]
  mov [xb_xregs + 4], eax
  mov eax, [xb_xregs + 12]
  mov [xb_xregs + 8], eax
  mov dword [xb_xregs + 12], ATOM_false
  cmp ebp, [xb_main_process]
  jne .call
  mov dword [xb_xregs + 12], ATOM_true
.call:
  CALLA F.xbeam_5f_stack.uncaught.4
  mov eax, ATOM_normal              ; (it does not return)
  jmp xb_process_exit
.again:
  mov dword [uncaught_pid], 0
  cmp ebp, [xb_main_process]
  je .vm
  mov esp, [ebp + P_STACK_BASE]
  mov eax, [ebp + P_FVALUE]
  jmp xb_process_exit
.vm:
  mov eax, 1
  jmp xb_exit

;; xb_site_info_1 — xbeam:site_info(Index): {M, F, Arity, File, Line,
;; Hidden, BIF} of a call site, BIF = {M, F, A} of the BIF it calls, [],
;; or dynamic (apply or a fun call: the raw stacktrace's Top says what).
xb_site_info_1:
  mov eax, [xb_xregs]
  NOT_SMALL_JUMP eax, xb_badarg
  sar eax, SMALL_SHIFT
  js xb_badarg
  shl eax, 4
  add eax, __start_xb_sites
  cmp eax, __stop_xb_sites
  jae xb_badarg
  mov [xb_xregs], eax               ; (not a term: nothing collects with 0 live)
  mov eax, 12
  xor ecx, ecx
  ENSURE_HEAP
  mov edx, [xb_xregs]               ; the site
  mov ebx, NIL
  mov eax, [edx + 12]
  test eax, eax
  jz .info
  mov ebx, ATOM_dynamic
  cmp eax, SITE_DYNAMIC
  je .info
  mov ebx, NIL
  MFA_TUPLE eax
.info:
  mov edi, [edx + 4]                ; the function record {M, F, A, files, hidden}
  mov dword [esi], (7 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov eax, [edi]
  mov [esi + 4], eax
  mov eax, [edi + 4]
  mov [esi + 8], eax
  mov eax, [edi + 8]
  TAG_SMALL_INT eax
  mov [esi + 12], eax
  mov eax, [edx + 8]                ; the line word: file << 24 | line
  movzx ecx, byte [edx + 11]        ; the file index
  mov edx, [edi + 12]               ; (the site is read: edx is free)
  mov ecx, [edx + 4 * ecx]          ; the file's atom
  mov [esi + 16], ecx
  and eax, 0xffffff
  TAG_SMALL_INT eax
  mov [esi + 20], eax
  mov eax, ATOM_false
  cmp dword [edi + 16], 0
  je .shown
  mov eax, ATOM_true
.shown:
  mov [esi + 24], eax
  mov [esi + 28], ebx
  lea eax, [esi + TAG_BOXED]
  add esi, 32
  mov [xb_xregs], eax
  ret

;; xb_backtrace_depth_1 — xbeam:backtrace_depth(N): sets the depth (a
;; non-negative small), returns the old one.
xb_backtrace_depth_1:
  mov eax, [xb_xregs]
  NOT_SMALL_JUMP eax, xb_badarg
  sar eax, SMALL_SHIFT
  js xb_badarg
  xchg eax, [backtrace_depth]
  TAG_SMALL_INT eax
  mov [xb_xregs], eax
  ret

;; xb_erl_process_exit_1 — xbeam:process_exit(Reason): the process ends now
;; with Reason, as when its function returns (no exception).
xb_erl_process_exit_1:
  mov eax, [xb_xregs]
  jmp xb_process_exit

;; in: eax = reason; class error.
xb_raise_atom:
  mov dword [ebp + P_FREASON], ATOM_error
  mov [ebp + P_FVALUE], eax
  jmp xb_raise

;; A guard BIF failed in a body: the reason is in P_FVALUE already; one
;; in maps.asm's static xb_guard_reason ({badmap, M} or {badkey, K}) is
;; copied onto the heap first (the next such failure writes over it).
xb_raise_pending:
  cmp dword [ebp + P_FVALUE], xb_guard_reason + TAG_BOXED
  je .copy
  mov dword [ebp + P_FREASON], ATOM_error
  jmp xb_raise
.copy:
  mov ebx, [xb_guard_reason + 4]
  mov eax, [xb_guard_reason + 8]
  jmp raise_pair

xb_badarith:
  mov eax, ATOM_badarith
  jmp xb_raise_atom

xb_badarg:
  mov eax, ATOM_badarg
  jmp xb_raise_atom

xb_if_end:
  mov eax, ATOM_if_clause
  jmp xb_raise_atom

;; in: eax = address of the {M, F, A} words; the arguments in x registers.
xb_function_clause:
  mov [raise_top], eax
  mov dword [raise_mode], RM_CLAUSE
  mov eax, ATOM_function_clause
  jmp xb_raise_atom

;; in: eax = address of the {M, F, A} words; the arguments in x registers.
xb_undef:
  mov [raise_top], eax
  mov dword [raise_mode], RM_UNDEF
  mov eax, ATOM_undef
  jmp xb_raise_atom

;; Constructing a binary failed (bs_create_bin, an emitted stub): the
;; reason in P_FVALUE; the segments (bits.asm) go with the raw trace.
xb_bs_fail:
  CALLA xb_bs_segments
  mov [raise_extra], eax
  mov dword [raise_mode], RM_BSFAIL
  jmp xb_raise_pending

;; A guard BIF failed in a body (an emitted stub): in: eax = its {M, F, A}
;; words, its arguments in xb_bif_args; the reason in P_FVALUE.
xb_bif_fail:
  mov [raise_top], eax
  mov dword [raise_mode], RM_BIFFAIL
  jmp xb_raise_pending

;; Errors whose reason is {Tag, Value}: in: eax = the value.
%macro PAIR_ERROR 2
%1:
  mov ebx, %2
  jmp raise_pair
%endmacro
PAIR_ERROR xb_badmatch, ATOM_badmatch
PAIR_ERROR xb_case_end, ATOM_case_clause
PAIR_ERROR xb_badrecord, ATOM_badrecord
PAIR_ERROR xb_try_clause, ATOM_try_clause

;; xb_raise_pair — in: ebx = tag atom, eax = value; raises error:{Tag, Value}.
xb_raise_pair:
raise_pair:
  mov [pair_tag], ebx
  lea edx, [esi + 12]
  cmp edx, [ebp + P_HEND]
  jbe .room
  ; Collecting: the value goes in x0 to survive (x0 is lost then; else it
  ; stays, for the trace of a BIF whose first argument it is).
  mov [xb_xregs], eax
  mov eax, 3
  mov ecx, 1
  CALLA xb_gc
  mov eax, [xb_xregs]
.room:
  mov dword [esi], (2 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov ebx, [pair_tag]
  mov [esi + 4], ebx
  mov [esi + 8], eax
  lea eax, [esi + TAG_BOXED]
  add esi, 12
  jmp xb_raise_atom

;; raise Stacktrace, Reason — in: eax = the raw stacktrace (its class
;; too: error unless it is a raw tuple that says otherwise), edx = the reason.
xb_reraise:
  mov [ebp + P_FVALUE], edx
  mov dword [ebp + P_FREASON], ATOM_error
  mov [raise_extra], eax
  mov dword [raise_mode], RM_PRESET
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_BOXED
  jne xb_raise
  mov ecx, [eax - TAG_BOXED]
  cmp ecx, (8 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  jne xb_raise
  mov eax, [eax - TAG_BOXED + 4]
  mov [ebp + P_FREASON], eax
  jmp xb_raise

;; raw_raise: x0 = class, x1 = reason, x2 = raw stacktrace.
xb_raw_raise:
  mov eax, [xb_xregs]
  mov [ebp + P_FREASON], eax
  mov eax, [xb_xregs + 4]
  mov [ebp + P_FVALUE], eax
  mov eax, [xb_xregs + 8]
  mov [raise_extra], eax
  mov dword [raise_mode], RM_PRESET
  jmp xb_raise

;; erlang:raise/3 — x0 = class, x1 = reason, x2 = stacktrace; a class that
;; is not error, exit or throw makes it badarg, as in BEAM.
global xb_erl_raise_3
xb_erl_raise_3:
  mov eax, [xb_xregs]
  cmp eax, ATOM_error
  je .ok
  cmp eax, ATOM_exit
  je .ok
  cmp eax, ATOM_throw
  jne xb_badarg
.ok:
  mov [ebp + P_FREASON], eax
  mov eax, [xb_xregs + 4]
  mov [ebp + P_FVALUE], eax
  mov eax, [xb_xregs + 8]
  mov [raise_extra], eax
  mov dword [raise_mode], RM_PRESET
  jmp xb_raise

;; erlang:throw/1, error/1,2,3, exit/1 (called like functions): the trace
;; starts at the caller; error/2,3 give it their arguments and options.
xb_erl_error_3:
  mov eax, [xb_xregs + 8]
  mov [raise_extra + 4], eax
  jmp error_args
xb_erl_error_2:
  mov dword [raise_extra + 4], NIL
error_args:
  mov eax, [xb_xregs + 4]
  mov [raise_extra], eax
  mov dword [raise_mode], RM_ARGS
  mov dword [ebp + P_FREASON], ATOM_error
  jmp raise_x0
xb_erl_throw_1:
  mov dword [ebp + P_FREASON], ATOM_throw
  mov dword [raise_mode], RM_PLAIN
  jmp raise_x0
xb_erl_exit_1:
  mov dword [ebp + P_FREASON], ATOM_exit
  mov dword [raise_mode], RM_PLAIN
  jmp raise_x0
xb_erl_error_1:
  mov dword [ebp + P_FREASON], ATOM_error
  mov dword [raise_mode], RM_PLAIN
raise_x0:
  mov eax, [xb_xregs]
  mov [ebp + P_FVALUE], eax
  jmp xb_raise

; ---------------------------------------------------------------------------
; Calling a fun.

;; xb_fun_entry — in: eax = the fun being called, ecx = the number of
;; arguments.  out: edx = the code to call, the fun's free variables in the
;; x registers after the arguments.  Raises badfun or badarity.  Clobbers
;; eax ebx ecx edx edi.
xb_fun_entry:
  mov edx, eax
  and edx, TAG_PRIMARY_MASK
  cmp edx, TAG_BOXED
  jne .badfun
  mov ebx, [eax - TAG_BOXED]
  mov edx, ebx
  and edx, HDR_SUBTAG_MASK
  cmp edx, HDR_EXPORT
  je .export
  cmp edx, HDR_FUN
  jne .badfun
  mov edx, ecx
  TAG_SMALL_INT edx
  cmp edx, [eax - TAG_BOXED + 8]
  jne .badarity
  mov edi, [eax - TAG_BOXED + 4]    ; the index in xb_fun_table
  sar edi, SMALL_SHIFT
  shr ebx, HDR_ARITY_SHIFT
  sub ebx, 3                        ; the number of free variables
  lea ecx, [xb_xregs + 4 * ecx]
  lea eax, [eax - TAG_BOXED + 16]
.free:
  test ebx, ebx
  jz .entry
  mov edx, [eax]
  mov [ecx], edx
  add eax, 4
  add ecx, 4
  dec ebx
  jmp .free
.entry:
  mov edx, [xb_fun_table + 4 * edi]
  ret
.export:                            ; fun M:F/A: {hdr, M, small(A), F}, found by name
  mov edx, ecx
  TAG_SMALL_INT edx
  cmp edx, [eax - TAG_BOXED + 8]
  jne .badarity
  mov edx, [eax - TAG_BOXED + 4]
  mov [export_mfa], edx
  mov edx, [eax - TAG_BOXED + 12]
  mov [export_mfa + 4], edx
  mov [export_mfa + 8], ecx
  mov [ebp + P_APPLY_A], ecx        ; (for a stack trace, as apply does)
  mov eax, [export_mfa + 4]
  mov [ebp + P_APPLY_F], eax
  mov eax, [export_mfa]
  mov [ebp + P_APPLY_M], eax
  call xb_lookup_export             ; edx = the code, or 0
  test edx, edx
  jz .undef
  ret
.undef:
  mov eax, export_mfa
  jmp xb_undef
.badfun:
  mov ebx, ATOM_badfun
  jmp raise_pair
.badarity:                          ; error:{badarity, {Fun, Args}}
  mov [xb_xregs + 4 * ecx], eax     ; the fun, live above the arguments
  mov [badarity_n], ecx
  lea eax, [2 * ecx + 6]
  inc ecx
  ENSURE_HEAP
  mov ecx, [badarity_n]
  mov edx, NIL
.arg:
  dec ecx
  js .args
  mov eax, [xb_xregs + 4 * ecx]
  CONS eax
  jmp .arg
.args:
  mov ecx, [badarity_n]
  mov eax, [xb_xregs + 4 * ecx]
  mov dword [esi], (2 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov [esi + 4], eax
  mov [esi + 8], edx
  lea eax, [esi + TAG_BOXED]
  add esi, 12
  mov ebx, ATOM_badarity
  jmp raise_pair

section .bss
pair_tag: resd 1
badarity_n: resd 1


section .text
;; xb_error_display_1 — xbeam:error_display(Term): the term as
;; erlang:display/1 writes it, and a newline, on stderr (crash reports).
xb_error_display_1:
  call xb_print_to_stderr
  mov eax, [xb_xregs]
  call xb_print_term
  mov eax, newline
  mov ecx, 1
  call xb_print_bytes
  call xb_print_flush
  call xb_print_to_stdout
  mov dword [xb_xregs], ATOM_true
  ret

section .rodata
newline: db 10
