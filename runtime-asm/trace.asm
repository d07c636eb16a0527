; runtime-asm/trace.asm — call tracing (erlang:trace/3 with `call`,
; erlang:trace_pattern/3; runtime-erl/xbeam_trace.erl is the Erlang side).
;
; Every function's entry counts a reduction and calls xb_yield when the
; slice is used up (emitter: the `label` of an entry).  A traced process
; keeps P_FCALLS at 1, so that each function entry reaches xb_yield, which
; comes here (xb_trace_entry); its real slice is counted in P_TRACE_REDS.
; Untraced code pays nothing.  The function is known from the call site
; of that xb_yield call (xb_sites: its function record {M, F, Arity, ...}),
; and the trace patterns, a table of rules {M, F, Arity, flags} (a [] for
; "any"; the last rule that matches decides), say whether to send the
; tracer {trace, Pid, call, {M, F, Args}} and, for a pattern whose match
; specification has {return_trace}, to put a frame under the function's
; return: it returns into xb_trace_return, which sends
; {trace, Pid, return_from, {M, F, Arity}, Value} and returns to the
; caller (a function traced so is no longer tail-called, as in BEAM).
; A pattern here applies to every call of the function, local or
; external: BEAM's `global` patterns see external calls only.  The
; runtime's own Erlang modules (runtime-erl/, "hidden" in their function
; records) are never traced: their functions are BIFs in BEAM.
%include "macros.inc"

global xb_trace_entry, xb_trace_return, xb_trace_pattern_add_4, xb_trace_set_3, xb_trace_running
extern xb_xregs, xb_gc, xb_find_site, xb_process_lookup, xb_deliver, xb_yield_untraced
extern __start_xb_fns, __stop_xb_fns

TP_MAX equ 256                      ; rules
TP_BYTES equ 16                     ; M, F, Arity (-1: any), flags
TPF_CALL equ 1
TPF_RETURN equ 2

section .bss
tp_rules: resb TP_MAX * TP_BYTES
tp_count: resd 1
te_live:  resd 1
te_fn:    resd 1
te_flags: resd 1
tr_fn:    resd 1
rt_live:  resd 1                    ; xb_trace_running: the live x registers,
rt_tag:   resd 1                    ;   out or in,
rt_fn:    resd 1                    ;   the function record (0: none known)

section .text

;; xb_trace_entry — xb_yield for a traced process (P_TRACE set): in: ecx =
;; live x registers (the arity), [esp] = the return into the function's
;; entry.  Traces the call if a pattern says so, then returns to the
;; function, or yields when the process's real slice is used up.
;; clobbers eax ebx ecx edx edi.
xb_trace_entry:
  mov [te_live], ecx
  mov dword [ebp + P_FCALLS], 1
  test dword [ebp + P_TRACE], PT_CALL
  jz .reds
  mov eax, [esp]
  call xb_find_site                 ; edx = the site, or 0 (not a function's entry)
  test edx, edx
  jz .reds
  mov edx, [edx + 4]                ; the function record
  cmp dword [edx + 16], 0
  jne .reds                         ; the runtime's own Erlang: BIFs in BEAM
  mov [te_fn], edx
  call match
  test eax, eax
  jz .reds
  mov [te_flags], eax
  ; {trace, Pid, call, {M, F, Args}}: 5 + 4 + 2 * arity words.
  mov eax, [te_live]
  lea eax, [2 * eax + 9]
  mov ecx, [te_live]
  ENSURE_HEAP
  mov edx, NIL
  mov ecx, [te_live]
.args:
  dec ecx
  js .built
  mov eax, [xb_xregs + 4 * ecx]
  CONS eax
  jmp .args
.built:
  mov ebx, [te_fn]
  mov ecx, ATOM_call
  mov eax, 4
  call message
  call to_tracer
  test dword [te_flags], TPF_RETURN
  jz .reds
  ; The function returns into xb_trace_return, which finds its record
  ; under that return address and the caller's return under it.
  pop eax
  push dword [te_fn]
  push xb_trace_return
  push eax
.reds:
  dec dword [ebp + P_TRACE_REDS]
  jg .ret
  mov eax, [ebp + P_TRACE_REDS]     ; the slice is used up: yield as usual
  mov [ebp + P_FCALLS], eax
  mov ecx, [te_live]
  jmp xb_yield_untraced
.ret:
  ret

;; xb_trace_return — a function traced with {return_trace} returns here:
;; x0 = its value, [esp] = its function record, [esp + 4] = the return
;; into its caller.
align 4
xb_trace_return:
  mov eax, [esp]
  mov [tr_fn], eax
  ; {trace, Pid, return_from, {M, F, Arity}, Value}: 6 + 4 words.
  mov eax, 10
  mov ecx, 1
  ENSURE_HEAP
  mov ebx, [tr_fn]
  mov edx, [ebx + 8]
  TAG_SMALL_INT edx
  mov ecx, ATOM_return_from
  mov eax, 5
  call message
  mov edx, [xb_xregs]
  mov [esi], edx
  add esi, 4
  call to_tracer
  add esp, 4                        ; the record
  ret

;; xb_trace_running — a process traced with `running` is scheduled out or
;; in: {trace, Pid, out | in, {M, F, Arity} | 0} to its tracer, the function
;; the one whose call site edx (a return address) is, or 0 when it is no
;; function's (runtime code).  in: eax = ATOM_out or ATOM_in, ecx = live x
;; registers, and a stack a collection may scan (CALLA this).  Nothing for
;; a process not traced so.  clobbers eax ebx ecx edx edi; keeps ecx.
xb_trace_running:
  test dword [ebp + P_TRACE], PT_RUNNING
  jz .done
  mov [rt_live], ecx
  mov [rt_tag], eax
  mov eax, edx
  call xb_find_site                 ; edx = the site, or 0
  test edx, edx
  jz .record
  mov edx, [edx + 4]
.record:
  mov [rt_fn], edx
  mov eax, 9
  mov ecx, [rt_live]
  ENSURE_HEAP
  mov ebx, [rt_fn]
  test ebx, ebx
  jz .unknown
  mov edx, [ebx + 8]
  TAG_SMALL_INT edx
  mov ecx, [rt_tag]
  mov eax, 4
  call message
  jmp .send
.unknown:
  mov dword [esi], (4 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov dword [esi + 4], ATOM_trace
  mov eax, [ebp + P_ID]
  mov [esi + 8], eax
  mov eax, [rt_tag]
  mov [esi + 12], eax
  mov dword [esi + 16], 0 | TAG_SMALL
  lea eax, [esi + TAG_BOXED]
  add esi, 20
.send:
  call to_tracer
  mov ecx, [rt_live]
.done:
  ret

;; message — at HTOP (room made): {M, F, edx}, M and F from the function
;; record in ebx, and {trace, Pid, ecx, that tuple, ...} of eax elements.
;; out: eax = the message, HTOP past its first four elements (a caller
;; with a fifth writes it at HTOP and moves on).  clobbers edx.
message:
  mov dword [esi], (3 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov [esi + 12], edx
  mov edx, [ebx]
  mov [esi + 4], edx
  mov edx, [ebx + 4]
  mov [esi + 8], edx
  shl eax, HDR_ARITY_SHIFT          ; (a tuple's subtag is 0)
  mov [esi + 16], eax
  mov dword [esi + 20], ATOM_trace
  mov eax, [ebp + P_ID]
  mov [esi + 24], eax
  mov [esi + 28], ecx
  lea eax, [esi + TAG_BOXED]
  mov [esi + 32], eax
  lea eax, [esi + 16 + TAG_BOXED]
  add esi, 36
  ret

;; to_tracer — a copy of the message in eax to the process's tracer, if it
;; is alive and not the process itself.  clobbers eax ebx ecx edx edi.
to_tracer:
  push eax
  mov eax, [ebp + P_TRACER]
  call xb_process_lookup
  mov edx, eax
  pop eax
  test edx, edx
  jz .none
  cmp edx, ebp
  je .none
  call xb_deliver
.none:
  ret

;; match — in: edx = a function record.  out: eax = the flags of the last
;; rule that matches it (0: none, or a rule that turns tracing off).
;; clobbers ecx.
match:
  mov ecx, [tp_count]
.rule:
  dec ecx
  js .none
  mov eax, ecx
  shl eax, 4
  add eax, tp_rules
  call rule_matches
  jne .rule
  mov eax, [eax + 12]
  ret
.none:
  xor eax, eax
  ret

;; rule_matches — in: eax = a rule, edx = a function record.  out: ZF set
;; when it matches.  Keeps eax ecx edx.
rule_matches:
  push ebx
  mov ebx, [eax]
  cmp ebx, NIL
  je .f
  cmp ebx, [edx]
  jne .out
.f:
  mov ebx, [eax + 4]
  cmp ebx, NIL
  je .a
  cmp ebx, [edx + 4]
  jne .out
.a:
  mov ebx, [eax + 8]
  cmp ebx, -1
  je .out                           ; (ZF set: any arity)
  cmp ebx, [edx + 8]
.out:
  pop ebx
  ret

;; xbeam:trace_pattern_add(M, F, Arity, Flags) -> the number of the image's
;; functions the rule matches.  M and F atoms or [] (any), Arity a small
;; integer or [] (any), Flags 0 (off), 1 (call) or 3 (call and return).  A
;; rule for every function replaces all rules; system_limit when there are
;; too many.  (runtime-erl/xbeam_trace.erl checks the arguments.)
xb_trace_pattern_add_4:
  mov eax, [xb_xregs]
  cmp eax, NIL
  jne .add
  cmp dword [xb_xregs + 4], NIL
  jne .add
  cmp dword [xb_xregs + 8], NIL
  jne .add
  mov dword [tp_count], 0
.add:
  mov ecx, [tp_count]
  cmp ecx, TP_MAX
  jae .limit
  shl ecx, 4
  add ecx, tp_rules
  mov eax, [xb_xregs]
  mov [ecx], eax
  mov eax, [xb_xregs + 4]
  mov [ecx + 4], eax
  mov eax, [xb_xregs + 8]
  sar eax, SMALL_SHIFT              ; [] gives -1 (all ones shifted), as "any"
  cmp dword [xb_xregs + 8], NIL
  jne .arity
  mov eax, -1
.arity:
  mov [ecx + 8], eax
  mov eax, [xb_xregs + 12]
  sar eax, SMALL_SHIFT
  mov [ecx + 12], eax
  inc dword [tp_count]
  ; Count the functions it matches.
  mov eax, ecx
  xor ecx, ecx
  mov ebx, __start_xb_fns
.fn:
  cmp ebx, __stop_xb_fns
  jae .counted
  mov edx, [ebx]
  cmp dword [edx + 16], 0
  jne .next                         ; (the runtime's own Erlang is not traced)
  call rule_matches
  jne .next
  inc ecx
.next:
  add ebx, 4
  jmp .fn
.counted:
  TAG_SMALL_INT ecx
  mov [xb_xregs], ecx
  ret
.limit:
  mov eax, ATOM_system_limit
  extern xb_raise_atom
  jmp xb_raise_atom

;; xbeam:trace_set(Pid, Flags, Tracer) -> true, or false when there is no
;; such process.  Flags: PT_* bits (0: not traced).
xb_trace_set_3:
  mov eax, [xb_xregs]
  call xb_process_lookup
  test eax, eax
  jz .none
  mov ecx, [xb_xregs + 4]
  sar ecx, SMALL_SHIFT
  mov edx, [xb_xregs + 8]
  mov [eax + P_TRACER], edx
  mov edx, [eax + P_TRACE]
  mov [eax + P_TRACE], ecx
  cmp eax, ebp
  jne .done                         ; another process: set when it runs next
  test edx, edx
  jnz .was_traced
  test ecx, ecx
  jz .done
  mov edx, [ebp + P_FCALLS]         ; now traced: the slice moves over
  mov [ebp + P_TRACE_REDS], edx
  mov dword [ebp + P_FCALLS], 1
  jmp .done
.was_traced:
  test ecx, ecx
  jnz .done
  mov edx, [ebp + P_TRACE_REDS]     ; no longer traced: it moves back
  mov [ebp + P_FCALLS], edx
.done:
  mov dword [xb_xregs], ATOM_true
  ret
.none:
  mov dword [xb_xregs], ATOM_false
  ret
