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
extern xb_print_to_stdout, xb_exit, xb_fatal, xb_gc, xb_raise_atom, plat_monotonic_ns, xb_boot_ns

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

;; Both arguments must be small integers, else badarith.
%macro BOTH_SMALL 0
  mov ecx, eax
  and ecx, edx
  and ecx, TAG_IMMED1_MASK
  cmp ecx, TAG_SMALL
  jne badarith
%endmacro

badarith: FAIL ATOM_badarith
badarg:   FAIL ATOM_badarg

;; A result that needs a bignum: not there yet.
needs_bignum:
  mov eax, msg_bignum
  mov edx, msg_bignum_len
  jmp xb_fatal

;; eax = a signed value; returns it tagged, or goes to needs_bignum.
tag_checked:
  cmp eax, MAX_SMALL
  jg needs_bignum
  cmp eax, MIN_SMALL
  jl needs_bignum
  TAG_SMALL_INT eax
  ret

GUARD xb_bif_plus_2
  BOTH_SMALL
  UNTAG_SMALL eax
  UNTAG_SMALL edx
  add eax, edx
  jmp tag_checked

GUARD xb_bif_minus_2
  BOTH_SMALL
  UNTAG_SMALL eax
  UNTAG_SMALL edx
  sub eax, edx
  jmp tag_checked

GUARD xb_bif_times_2
  BOTH_SMALL
  UNTAG_SMALL eax
  UNTAG_SMALL edx
  imul eax, edx
  jo needs_bignum
  jmp tag_checked

GUARD xb_bif_div_2
  BOTH_SMALL
  UNTAG_SMALL eax
  UNTAG_SMALL edx
  test edx, edx
  jz badarith
  mov ecx, edx
  cdq
  idiv ecx
  jmp tag_checked

GUARD xb_bif_rem_2
  BOTH_SMALL
  UNTAG_SMALL eax
  UNTAG_SMALL edx
  test edx, edx
  jz badarith
  mov ecx, edx
  cdq
  idiv ecx
  mov eax, edx
  jmp tag_checked

GUARD xb_bif_band_2
  BOTH_SMALL
  and eax, edx
  ret

GUARD xb_bif_bor_2
  BOTH_SMALL
  or eax, edx
  ret

GUARD xb_bif_bxor_2
  BOTH_SMALL
  xor eax, edx
  or eax, TAG_SMALL
  ret

GUARD xb_bif_bsl_2
  BOTH_SMALL
  UNTAG_SMALL eax
  UNTAG_SMALL edx
  test edx, edx
  js .right
  cmp edx, 31
  jae .big
  mov ecx, edx
  mov edx, eax
  shl eax, cl
  mov ebx, eax
  sar ebx, cl
  cmp ebx, edx                      ; bits lost?
  jne needs_bignum
  jmp tag_checked
.big:
  test eax, eax
  jnz needs_bignum
  TAG_SMALL_INT eax
  ret
.right:
  neg edx
  jmp ..@shift_right

GUARD xb_bif_bsr_2
  BOTH_SMALL
  UNTAG_SMALL eax
  UNTAG_SMALL edx
  test edx, edx
  js .left
..@shift_right:
  cmp edx, 31
  jbe .in_range
  mov edx, 31
.in_range:
  mov ecx, edx
  sar eax, cl
  TAG_SMALL_INT eax
  ret
.left:
  neg edx
  TAG_SMALL_INT eax
  TAG_SMALL_INT edx
  jmp xb_bif_bsl_2

GUARD xb_bif_bnot_1
  NOT_SMALL_JUMP eax, badarith
  xor eax, ~TAG_IMMED1_MASK
  ret

GUARD xb_bif_minus_1
  NOT_SMALL_JUMP eax, badarith
  UNTAG_SMALL eax
  neg eax
  jmp tag_checked

GUARD xb_bif_abs_1
  NOT_SMALL_JUMP eax, badarg
  UNTAG_SMALL eax
  test eax, eax
  jns .positive
  neg eax
.positive:
  jmp tag_checked

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

;; erlang:monotonic_time/1 — time since start-up in the unit named by x0
;; (second, millisecond, microsecond, nanosecond or native, which is
;; nanoseconds).  Values that need a bignum are not supported yet.
global xb_erl_monotonic_time_1
xb_erl_monotonic_time_1:
  call plat_monotonic_ns            ; edx:eax = ns (cdecl: clobbers ecx)
  sub eax, [xb_boot_ns]
  sbb edx, [xb_boot_ns + 4]
  mov ecx, [xb_xregs]
  mov ebx, 1000000000
  cmp ecx, ATOM_second
  je .divide
  mov ebx, 1000000
  cmp ecx, ATOM_millisecond
  je .divide
  mov ebx, 1000
  cmp ecx, ATOM_microsecond
  je .divide
  cmp ecx, ATOM_nanosecond
  je .ns
  cmp ecx, ATOM_native
  je .ns
  mov eax, ATOM_badarg
  jmp xb_raise_atom
.ns:
  test edx, edx
  jnz needs_bignum
  jmp .tag
.divide:
  cmp edx, ebx
  jae needs_bignum
  div ebx
.tag:
  call tag_checked
  mov [xb_xregs], eax
  ret

;; erlang:'++'/2 — copies the first list onto the heap, ending in the second.
;; The heap check comes first, with both arguments live: the collector may
;; move them, so they are read from x0/x1 only after it.
global xb_erl_append_2
xb_erl_append_2:
  mov eax, [xb_xregs]
  xor ecx, ecx
.count:
  cmp eax, NIL
  je .counted
  mov edx, eax
  and edx, TAG_PRIMARY_MASK
  cmp edx, TAG_LIST
  jne .badarg
  inc ecx
  mov eax, [eax - TAG_LIST + 4]
  jmp .count
.counted:
  test ecx, ecx
  jz .empty
  lea eax, [esi + 8 * ecx]
  cmp eax, [ebp + P_HEND]
  jbe .room
  lea eax, [2 * ecx]
  mov ecx, 2
  CALLA xb_gc
.room:
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
msg_bignum: db "xbeam: this result needs a bignum, which is not supported yet", 10
msg_bignum_len equ $ - msg_bignum
