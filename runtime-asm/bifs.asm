; runtime-asm/bifs.asm — built-in functions.
;
; Guard BIFs (called by bif1/bif2/gc_bif*): in: eax = first argument,
; edx = second, ecx = live x registers; out: eax = result, or NON_VALUE
; with the reason in P_FVALUE; clobber ebx ecx edx edi.  Names come from
; emitter/bifs.ts.
;
; BIFs called as functions (call_ext): arguments in x registers, result in
; x0, like any Erlang function.
%include "macros.inc"

extern xb_xregs, xb_compare, xb_eq_exact, xb_print_term, xb_print_bytes, xb_print_flush
extern xb_list_length
extern xb_print_to_stdout, xb_exit, xb_fatal, xb_gc, xb_raise_atom, plat_monotonic_ns, xb_boot_ns
extern xb_big_add, xb_big_sub, xb_big_mul, xb_big_div, xb_big_rem, xb_big_band, xb_big_bor
extern xb_big_bxor, xb_big_bsl, xb_big_bsr, xb_big_from_int64
extern xb_num_add, xb_num_sub, xb_num_mul, xb_float_negate, xb_float_abs

section .text

%macro GUARD 1
global %1
%1:
%endmacro

%macro FAIL 1                       ; fail with reason atom %1
  mov dword [ebp + P_FVALUE], %1
  xor eax, eax
  ret
%endmacro

;; Integer arithmetic.  Two small operands take the paths here; any other
;; operands go to the bignum fragments (bignum.asm), which share this
;; contract, check that both are integers (else badarith) and may collect;
;; +, - and * go through float.asm first, which takes a float operand.
;; ecx (the live count) must reach them intact, so the tests here use ebx.
;; Results are normalized: a small whenever the value fits in 28 bits.

;; Both arguments small, else to %1.  Clobbers ebx.
%macro BOTH_SMALL_OR 1
  mov ebx, eax
  and ebx, edx
  and ebx, TAG_IMMED1_MASK
  cmp ebx, TAG_SMALL
  jne %1
%endmacro

;; The argument %1 small, else to %2.  Clobbers ebx.
%macro SMALL_OR 2
  mov ebx, %1
  and ebx, TAG_IMMED1_MASK
  cmp ebx, TAG_SMALL
  jne %2
%endmacro

badarith: FAIL ATOM_badarith
badarg:   FAIL ATOM_badarg

;; small_result — in: eax = a signed 32-bit value, ecx = live x registers.
;; out: eax = the value as a term: a small, or a bignum when it does not fit.
small_result:
  cmp eax, MAX_SMALL
  jg .bignum
  cmp eax, MIN_SMALL
  jl .bignum
  TAG_SMALL_INT eax
  ret
.bignum:
  cdq
  jmp xb_big_from_int64

GUARD xb_bif_plus_2
  BOTH_SMALL_OR xb_num_add
  UNTAG_SMALL eax
  UNTAG_SMALL edx
  add eax, edx
  jmp small_result

GUARD xb_bif_minus_2
  BOTH_SMALL_OR xb_num_sub
  UNTAG_SMALL eax
  UNTAG_SMALL edx
  sub eax, edx
  jmp small_result

GUARD xb_bif_times_2
  BOTH_SMALL_OR xb_num_mul
  UNTAG_SMALL eax
  UNTAG_SMALL edx
  imul edx                          ; edx:eax = the full product (55 bits at most)
  jmp xb_big_from_int64

GUARD xb_bif_div_2
  BOTH_SMALL_OR xb_big_div
  UNTAG_SMALL eax
  UNTAG_SMALL edx
  test edx, edx
  jz badarith
  mov ebx, edx
  cdq
  idiv ebx                          ; truncates toward zero, as div does
  jmp small_result                  ; (MIN_SMALL div -1 does not fit)

GUARD xb_bif_rem_2
  BOTH_SMALL_OR xb_big_rem
  UNTAG_SMALL eax
  UNTAG_SMALL edx
  test edx, edx
  jz badarith
  mov ebx, edx
  cdq
  idiv ebx                          ; the remainder has the dividend's sign
  mov eax, edx
  TAG_SMALL_INT eax
  ret

GUARD xb_bif_band_2
  BOTH_SMALL_OR xb_big_band
  and eax, edx
  ret

GUARD xb_bif_bor_2
  BOTH_SMALL_OR xb_big_bor
  or eax, edx
  ret

GUARD xb_bif_bxor_2
  BOTH_SMALL_OR xb_big_bxor
  xor eax, edx
  or eax, TAG_SMALL
  ret

;; Shifts of a small by a small count up to 31 to the left, or any count to
;; the right, are done here; a farther shift left goes to the bignum code
;; with the original terms (it knows 0, bignums and system_limit).
GUARD xb_bif_bsl_2
  BOTH_SMALL_OR xb_big_bsl
  mov ebx, edx
  sar ebx, SMALL_SHIFT              ; the count, left when positive
  cmp ebx, 31
  jg xb_big_bsl
  jmp small_shift

GUARD xb_bif_bsr_2
  BOTH_SMALL_OR xb_big_bsr
  mov ebx, edx
  sar ebx, SMALL_SHIFT
  neg ebx                           ; left when positive
  cmp ebx, 31
  jg xb_big_bsr
  ; falls through

;; small_shift — in: eax = a small, ebx = a count of at most 31 (left when
;; positive, right when negative), ecx = live x registers.
small_shift:
  test ebx, ebx
  js .right
  mov edi, ecx                      ; cl is the count for a while
  mov ecx, ebx
  UNTAG_SMALL eax
  cdq
  shld edx, eax, cl                 ; 59 bits at most: a 64-bit shift holds it
  shl eax, cl
  mov ecx, edi
  jmp xb_big_from_int64
.right:
  neg ebx
  cmp ebx, 31
  jbe .in_range
  mov ebx, 31                       ; everything out: 0 or -1
.in_range:
  mov ecx, ebx
  UNTAG_SMALL eax
  sar eax, cl                       ; rounds toward minus infinity, as bsr does
  TAG_SMALL_INT eax
  ret

;; bnot X = -1 - X; -X = 0 - X: a bignum (or a non-integer, for badarith)
;; goes to the subtraction.
GUARD xb_bif_bnot_1
  SMALL_OR eax, .other
  xor eax, ~TAG_IMMED1_MASK
  ret
.other:
  mov edx, eax
  mov eax, (-1 << SMALL_SHIFT) | TAG_SMALL
  jmp xb_big_sub

GUARD xb_bif_minus_1
  SMALL_OR eax, .other
  UNTAG_SMALL eax
  neg eax
  jmp small_result                  ; (-MIN_SMALL does not fit)
.other:
  mov ebx, eax
  and ebx, TAG_PRIMARY_MASK
  cmp ebx, TAG_BOXED
  jne .integer
  mov ebx, [eax - TAG_BOXED]
  and ebx, HDR_SUBTAG_MASK
  cmp ebx, HDR_FLOAT
  je xb_float_negate                ; the sign flipped: -(0.0) is -0.0
.integer:
  mov edx, eax
  mov eax, TAG_SMALL                ; 0
  jmp xb_big_sub

;; abs/1 fails with badarg, not badarith, as in BEAM.
GUARD xb_bif_abs_1
  SMALL_OR eax, .other
  UNTAG_SMALL eax
  test eax, eax
  jns .positive
  neg eax
.positive:
  jmp small_result
.other:
  mov ebx, eax
  and ebx, TAG_PRIMARY_MASK
  cmp ebx, TAG_BOXED
  jne badarg
  mov ebx, [eax - TAG_BOXED]
  and ebx, HDR_SUBTAG_MASK
  cmp ebx, HDR_POS_BIG
  je .done                          ; a positive bignum is its own abs
  cmp ebx, HDR_FLOAT
  je xb_float_abs
  cmp ebx, HDR_NEG_BIG
  jne badarg
  mov edx, eax
  mov eax, TAG_SMALL
  jmp xb_big_sub
.done:
  ret

GUARD xb_bif_length_1
  xor edx, edx
.next:
  cmp eax, NIL
  je .done
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_LIST
  jne badarg
  inc edx
  mov eax, [eax - TAG_LIST + 4]
  jmp .next
.done:
  mov eax, edx
  TAG_SMALL_INT eax
  ret

GUARD xb_bif_hd_1
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_LIST
  jne badarg
  mov eax, [eax - TAG_LIST]
  ret

GUARD xb_bif_tl_1
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_LIST
  jne badarg
  mov eax, [eax - TAG_LIST + 4]
  ret

;; is the term in edx a tuple?  ZF set when it is.  Clobbers ecx.
%macro IS_TUPLE 1
  mov ecx, %1
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_BOXED
  jne %%done
  mov ecx, [%1 - TAG_BOXED]
  and ecx, HDR_SUBTAG_MASK
  cmp ecx, HDR_ARITYVAL
%%done:
%endmacro

GUARD xb_bif_element_2
  NOT_SMALL_JUMP eax, badarg
  IS_TUPLE edx
  jne badarg
  UNTAG_SMALL eax
  cmp eax, 1
  jl badarg
  mov ecx, [edx - TAG_BOXED]
  shr ecx, HDR_ARITY_SHIFT
  cmp eax, ecx
  jg badarg
  mov eax, [edx - TAG_BOXED + 4 * eax]
  ret

GUARD xb_bif_tuple_5f_size_1
  IS_TUPLE eax
  jne badarg
  mov eax, [eax - TAG_BOXED]
  shr eax, HDR_ARITY_SHIFT
  TAG_SMALL_INT eax
  ret

;; Comparisons as functions: true or false.
%macro COMPARE_BIF 2                ; symbol, jcc that means true
GUARD %1
  CALLA xb_compare
  test eax, eax
  mov eax, ATOM_false
  %2 %%true
  ret
%%true:
  mov eax, ATOM_true
  ret
%endmacro

COMPARE_BIF xb_bif__3c__2, jl              ; <
COMPARE_BIF xb_bif__3e__2, jg              ; >
COMPARE_BIF xb_bif__3d__3c__2, jle         ; =<
COMPARE_BIF xb_bif__3e__3d__2, jge         ; >=
COMPARE_BIF xb_bif__3d__3d__2, je          ; ==
COMPARE_BIF xb_bif__2f__3d__2, jne         ; /=

GUARD xb_bif__3d__3a__3d__2                ; =:=
  CALLA xb_eq_exact
  mov eax, ATOM_false
  jne .no
  mov eax, ATOM_true
.no:
  ret

GUARD xb_bif__3d__2f__3d__2                ; =/=
  CALLA xb_eq_exact
  mov eax, ATOM_true
  jne .no
  mov eax, ATOM_false
.no:
  ret

;; Booleans.
%macro BOOL 2                       ; reg, fail label: ZF set when true
  cmp %1, ATOM_true
  je %%ok
  cmp %1, ATOM_false
  jne %2
%%ok:
  cmp %1, ATOM_true
%endmacro

GUARD xb_bif_not_1
  BOOL eax, badarg
  mov eax, ATOM_false
  je .done
  mov eax, ATOM_true
.done:
  ret

GUARD xb_bif_and_2
  BOOL eax, badarg
  BOOL edx, badarg
  and eax, edx                      ; true & false = false (false is atom 0)
  ret

GUARD xb_bif_or_2
  BOOL eax, badarg
  BOOL edx, badarg
  or eax, edx
  ret

GUARD xb_bif_xor_2
  BOOL eax, badarg
  BOOL edx, badarg
  cmp eax, edx
  mov eax, ATOM_false
  je .done
  mov eax, ATOM_true
.done:
  ret

; ---------------------------------------------------------------------------
; BIFs called as functions.

;; erlang:display/1 — prints x0 and CR LF, as erl does; returns true.
global xb_erl_display_1
xb_erl_display_1:
  call xb_print_to_stdout
  mov eax, [xb_xregs]
  call xb_print_term
  mov eax, crlf + 4
  mov ecx, [crlf]
  call xb_print_bytes
  call xb_print_flush
  mov dword [xb_xregs], ATOM_true
  ret

;; erlang:halt/0
global xb_erl_halt_0
xb_erl_halt_0:
  call xb_print_flush
  xor eax, eax
  jmp xb_exit

;; erlang:halt/1 — a status from 0 to 255.
global xb_erl_halt_1
xb_erl_halt_1:
  call xb_print_flush
  mov eax, [xb_xregs]
  NOT_SMALL_JUMP eax, .bad
  UNTAG_SMALL eax
  and eax, 255
  jmp xb_exit
.bad:
  mov eax, 1
  jmp xb_exit

;; erlang:'++'/2 — copies the first list onto the heap, ending in the second.
;; The heap check comes first, with both arguments live: the collector may
;; move them, so they are read from x0/x1 only after it.
global xb_erl_append_2
xb_erl_append_2:
  mov eax, [xb_xregs]
  call xb_list_length
  jc .badarg
  test ecx, ecx
  jz .empty
  lea eax, [2 * ecx]
  mov ecx, 2
  ENSURE_HEAP
  mov eax, [xb_xregs]               ; the first list (moved, maybe)
  mov edx, [xb_xregs + 4]           ; the tail of the result
  lea edi, [esi + TAG_LIST]         ; the result: the first new cell
.copy:
  mov ecx, [eax - TAG_LIST]
  mov [esi], ecx
  lea ecx, [esi + 8 + TAG_LIST]
  mov [esi + 4], ecx
  add esi, 8
  mov eax, [eax - TAG_LIST + 4]
  cmp eax, NIL
  jne .copy
  mov [esi - 4], edx                ; the last cell's tail
  mov [xb_xregs], edi
  ret
.empty:
  mov eax, [xb_xregs + 4]
  mov [xb_xregs], eax
  ret
.badarg:
  mov eax, ATOM_badarg
  jmp xb_raise_atom

section .rodata
align 4
crlf: dd 2
  db 13, 10
