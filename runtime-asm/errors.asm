; runtime-asm/errors.asm — raising exceptions, catching them, and crashing.
;
; An exception is a class (the atom error, exit or throw, in P_FREASON) and
; a reason (P_FVALUE).  `try` and `catch` put a catch tag in a y register:
; TAG_CATCH with the index of the handler in xb_catch_table.  Raising scans
; the Erlang stack upward from the raiser for a catch tag; the frame that
; holds it starts just above the last return address passed on the way
; (or at the raiser's own stack pointer, if none was).  The handler runs on
; that frame with x0 = NON_VALUE, x1 = class, x2 = reason, x3 = the "raw
; stacktrace", which for now is just the class atom: `raise` (a re-raise)
; takes the class from it, and build_stacktrace turns it into [].  With no catch on the stack the program ends: a report on
; stderr, exit status 1.
;
; Fragments that build a reason term may collect: they are entered by jmp or
; CALLA from Erlang code, so the stack holds only terms and return addresses.
%include "macros.inc"

global xb_badmatch, xb_case_end, xb_if_end, xb_badrecord, xb_function_clause, xb_undef
global xb_badarith, xb_badarg, xb_raise_pending, xb_raise_atom, xb_fun_entry, xb_try_clause
global xb_raise, xb_raw_raise, xb_reraise, xb_catch_end, xb_raise_pair
global xb_erl_throw_1, xb_erl_error_1, xb_erl_error_2, xb_erl_exit_1
extern xb_xregs, xb_fun_table, xb_catch_table, xb_gc, xb_lookup_export
extern xb_print_term, xb_print_bytes, xb_print_flush, xb_print_to_stderr, xb_print_to_stdout, xb_exit
extern xb_main_process, xb_process_exit

section .bss
last_mfa: resd 1                    ; for undef and function_clause reports
export_mfa: resd 3                  ; {M, F, A} of the export fun being called

section .text

; ---------------------------------------------------------------------------
; Raising.

;; xb_raise — in: P_FREASON, P_FVALUE set.  Does not return.
xb_raise:
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
  mov dword [xb_xregs], NON_VALUE
  mov eax, [ebp + P_FREASON]
  mov [xb_xregs + 4], eax
  mov eax, [ebp + P_FVALUE]
  mov [xb_xregs + 8], eax
  mov eax, [ebp + P_FREASON]
  mov [xb_xregs + 12], eax          ; the raw stacktrace: the class
  jmp edx

;; in: eax = reason; class error.
xb_raise_atom:
  mov dword [ebp + P_FREASON], ATOM_error
  mov [ebp + P_FVALUE], eax
  jmp xb_raise

;; A guard BIF failed in a body: the reason is in P_FVALUE already.
xb_raise_pending:
  mov dword [ebp + P_FREASON], ATOM_error
  jmp xb_raise

xb_badarith:
  mov eax, ATOM_badarith
  jmp xb_raise_atom

xb_badarg:
  mov eax, ATOM_badarg
  jmp xb_raise_atom

xb_if_end:
  mov eax, ATOM_if_clause
  jmp xb_raise_atom

;; in: eax = address of the {M, F, A} words.
xb_function_clause:
  mov [last_mfa], eax
  mov eax, ATOM_function_clause
  jmp xb_raise_atom

;; in: eax = address of the {M, F, A} words.
xb_undef:
  mov [last_mfa], eax
  mov eax, ATOM_undef
  jmp xb_raise_atom

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
  mov [xb_xregs], eax
  mov [pair_tag], ebx
  mov eax, 3
  mov ecx, 1                        ; the value, in x0, survives
  ENSURE_HEAP
  mov dword [esi], (2 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov eax, [pair_tag]
  mov [esi + 4], eax
  mov eax, [xb_xregs]
  mov [esi + 8], eax
  lea eax, [esi + TAG_BOXED]
  add esi, 12
  jmp xb_raise_atom

;; raise Stacktrace, Reason — in: eax = the raw stacktrace (the class, see
;; above), edx = the reason.
xb_reraise:
  mov [ebp + P_FVALUE], edx
  mov dword [ebp + P_FREASON], ATOM_error
  cmp eax, ATOM_exit
  je .class
  cmp eax, ATOM_throw
  jne xb_raise
.class:
  mov [ebp + P_FREASON], eax
  jmp xb_raise

;; raw_raise: x0 = class, x1 = reason, x2 = stacktrace.
xb_raw_raise:
  mov eax, [xb_xregs]
  mov [ebp + P_FREASON], eax
  mov eax, [xb_xregs + 4]
  mov [ebp + P_FVALUE], eax
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
  jmp xb_raise

;; erlang:throw/1, error/1, error/2, exit/1 (called like functions).
xb_erl_throw_1:
  mov dword [ebp + P_FREASON], ATOM_throw
  jmp raise_x0
xb_erl_exit_1:
  mov dword [ebp + P_FREASON], ATOM_exit
  jmp raise_x0
xb_erl_error_1:
xb_erl_error_2:
  mov dword [ebp + P_FREASON], ATOM_error
raise_x0:
  mov eax, [xb_xregs]
  mov [ebp + P_FVALUE], eax
  jmp xb_raise

;; xb_catch_end — after a `catch`: with x0 = NON_VALUE an exception was
;; caught (x1 class, x2 reason, x3 stacktrace) and x0 becomes the catch's
;; value: the reason of a throw, {'EXIT', Reason} for an exit, and
;; {'EXIT', {Reason, Stacktrace}} for an error.  Clobbers eax ebx ecx edx edi.
xb_catch_end:
  cmp dword [xb_xregs], NON_VALUE
  jne .done
  mov eax, [xb_xregs + 8]
  cmp dword [xb_xregs + 4], ATOM_throw
  je .value
  mov eax, 6
  mov ecx, 4
  ENSURE_HEAP
  mov eax, [xb_xregs + 8]           ; the reason
  cmp dword [xb_xregs + 4], ATOM_exit
  je .exit
  mov dword [esi], (2 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov [esi + 4], eax
  mov dword [esi + 8], NIL          ; the stacktrace (none kept yet)
  lea eax, [esi + TAG_BOXED]
  add esi, 12
.exit:
  mov dword [esi], (2 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov dword [esi + 4], ATOM_EXIT
  mov [esi + 8], eax
  lea eax, [esi + TAG_BOXED]
  add esi, 12
.value:
  mov [xb_xregs], eax
.done:
  ret

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
  sub ebx, 2                        ; the number of free variables
  lea ecx, [xb_xregs + 4 * ecx]
  lea eax, [eax - TAG_BOXED + 12]
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
  mov eax, [export_mfa]
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
.badarity:
  mov ebx, ATOM_badarity
  jmp raise_pair

; ---------------------------------------------------------------------------
; The end of the program: an exception nobody caught.

uncaught:
  cmp ebp, [xb_main_process]
  jne process_crash
  call xb_print_to_stderr
  mov eax, t_uncaught + 4
  mov ecx, [t_uncaught]
  call xb_print_bytes
  mov eax, [ebp + P_FREASON]
  call xb_print_term
  mov eax, colon_space + 4
  mov ecx, [colon_space]
  call xb_print_bytes
  mov eax, [ebp + P_FVALUE]
  call xb_print_term
  mov eax, [ebp + P_FVALUE]
  cmp eax, ATOM_undef
  je .mfa
  cmp eax, ATOM_function_clause
  jne .end
.mfa:
  mov eax, t_in + 4
  mov ecx, [t_in]
  call xb_print_bytes
  mov edx, [last_mfa]
  mov eax, [edx]
  call xb_print_term
  mov eax, colon + 4
  mov ecx, [colon]
  call xb_print_bytes
  mov eax, [edx + 4]
  call xb_print_term
  mov eax, slash + 4
  mov ecx, [slash]
  call xb_print_bytes
  mov eax, [edx + 8]
  TAG_SMALL_INT eax
  call xb_print_term
.end:
  mov eax, nl + 4
  mov ecx, [nl]
  call xb_print_bytes
  call xb_print_flush
  mov eax, 1
  jmp xb_exit

;; process_crash — an exception ended a process other than the first: its
;; exit reason is the reason for exit, {Reason, Stack} for error and
;; {{nocatch, Value}, Stack} for throw; the last two are reported on stderr
;; (BEAM's logger reports them too).
process_crash:
  mov eax, [ebp + P_FVALUE]
  mov ecx, [ebp + P_FREASON]
  cmp ecx, ATOM_exit
  je xb_process_exit
  cmp ecx, ATOM_throw
  jne .error
  mov dword [crash + 12], (2 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov dword [crash + 16], ATOM_nocatch
  mov [crash + 20], eax
  mov eax, crash + 12 + TAG_BOXED
.error:
  mov dword [crash], (2 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov [crash + 4], eax
  mov dword [crash + 8], NIL
  call xb_print_to_stderr
  mov eax, t_process + 4
  mov ecx, [t_process]
  call xb_print_bytes
  mov eax, [ebp + P_ID]
  call xb_print_term
  mov eax, t_exited + 4
  mov ecx, [t_exited]
  call xb_print_bytes
  mov eax, crash + TAG_BOXED
  call xb_print_term
  mov eax, nl + 4
  mov ecx, [nl]
  call xb_print_bytes
  call xb_print_flush
  call xb_print_to_stdout
  mov eax, crash + TAG_BOXED
  jmp xb_process_exit

section .bss
pair_tag: resd 1
crash: resd 6                       ; a crashed process's exit reason

section .rodata
align 4
%macro TEXT 2                       ; label, string: dd length, then the bytes
%1: dd %%end - %%start
%%start: db %2
%%end:
align 4
%endmacro
TEXT t_uncaught, "xbeam: uncaught "
TEXT t_process, "xbeam: process "
TEXT t_exited, " exited: "
TEXT t_in, " in "
TEXT colon_space, ": "
TEXT colon, ":"
TEXT slash, "/"
TEXT nl, 10
