; runtime-asm/float.asm — floats: float registers, boxing, conversions,
; float arithmetic in the guard BIFs, the math module and printing.
;
; In:  float terms ({header(2, FLOAT), the IEEE double in 2 words}, 3 words
;      on the heap, as BEAM lays them out on a 32-bit machine), integers,
;      and the float registers ({fr,N} operands) of emitted code.
; Out: boxed floats on the process heap, doubles in float registers,
;      integers from floats (exact), the decimal text erlang:display prints.
;
; Arithmetic is SSE2 scalar double arithmetic, as BEAM's C: every
; operation rounds once to a double.  A result that is infinite or NaN is
; error:badarith, as in BEAM (floats never hold either).  The math module
; uses the x87 (extended precision, then one rounding to a double) where
; SSE2 has no instruction: see the note above the math section.
;
; Float registers live in memory, FREGS + 8*N (emitter/abi.ts): the
; compiler never keeps one live across a call or a collection boundary,
; so they are neither saved on a process switch nor seen by the collector.
;
; Guard BIFs here follow the guard-BIF contract (bifs.asm): in: eax (and
; edx) = arguments, ecx = live x registers; out: eax = result, or
; NON_VALUE with the reason in P_FVALUE; clobber ebx ecx edx edi.  They are
; entered by CALLA or jmp, so a collection finds only terms and aligned
; return addresses on the stack; raw doubles wait in .bss across one.
; Function BIFs (math:*, xbeam:float_*): arguments in x registers, result
; in x0; they raise.
%include "macros.inc"

global xb_fregs, xb_fconv
global xb_num_add, xb_num_sub, xb_num_mul, xb_float_negate, xb_float_abs
global xb_bif_divide_2, xb_bif_float_1
global xb_bif_round_1, xb_bif_trunc_1, xb_bif_floor_1, xb_bif_ceil_1
global xb_float_to_bits_1, xb_float_from_bits_1, xb_float_format_e
extern xb_xregs, xb_gc, xb_raise_atom, xb_badarith
extern xb_big_add, xb_big_sub, xb_big_mul, xb_big_from_int64

FLOAT_HEADER equ (2 << HDR_ARITY_SHIFT) | HDR_FLOAT
EXP_MASK_HI  equ 0x7ff00000         ; the exponent field, in the high word
RC_MASK      equ 0x0c00             ; x87 control word: rounding control
RC_DOWN      equ 0x0400
RC_UP        equ 0x0800
RC_CHOP      equ 0x0c00

section .bss
alignb 16
xb_fregs: resq MAX_FREGS            ; the float registers
fval:     resq 1                    ; the double being boxed or taken apart
farg:     resq 1                    ; a first operand, while the second converts
magic:    resq 1                    ; u32 -> double through 2^52 + u
i64:      resq 1                    ; an x87 integer result
cw_saved: resw 1                    ; the x87 control word around a rounding
cw_new:   resw 1
fbig_e:   resd 1                    ; big_from_double: the binary exponent
fbig_n:   resd 1                    ; ... and the digits
round_away: resb 1                  ; round/1: away from zero from .5 on

section .rodata
align 8
two_32:   dq 4294967296.0
two_52:   dq 4503599627370496.0
two_63:   dq 9223372036854775808.0
two_64:   dq 18446744073709551616.0
half:     dq 0.5

section .text

%macro FAIL 1                       ; guard-BIF failure with reason atom %1
  mov dword [ebp + P_FVALUE], %1
  xor eax, eax
  ret
%endmacro

;; JUMP_IF_NOT_FINITE xmm, reg, label — the exponent field all ones means
;; infinity or NaN.  Clobbers reg.
%macro JUMP_IF_NOT_FINITE 3
  pextrw %2, %1, 3
  and %2, 0x7ff0
  cmp %2, 0x7ff0
  je %3
%endmacro

;; IS_FLOAT_JUMP reg, label — jump to label when reg (kept) is a float.
;; Clobbers ebx.
%macro IS_FLOAT_JUMP 2
  mov ebx, %1
  and ebx, TAG_PRIMARY_MASK
  cmp ebx, TAG_BOXED
  jne %%no
  mov ebx, [%1 - TAG_BOXED]
  cmp ebx, FLOAT_HEADER
  je %2
%%no:
%endmacro

;; BOX — in: xmm0 = a finite double, ecx = live x registers.  out: eax =
;; the float term (3 words at HTOP).  May collect (the double waits in
;; fval).  Clobbers ebx ecx edx edi.  Only in code entered by CALLA or jmp.
%macro BOX 0
  movsd [fval], xmm0
  mov eax, 3
  ENSURE_HEAP
  movsd xmm0, [fval]
  mov dword [esi], FLOAT_HEADER
  movsd [esi + 4], xmm0
  lea eax, [esi + TAG_BOXED]
  add esi, 12
%endmacro

badarith: FAIL ATOM_badarith
badarg:   FAIL ATOM_badarg

;; box_ret — guard-BIF tail: BOX and return the term.
box_ret:
  BOX
  ret

; ===========================================================================
; Numbers to doubles.

;; to_double — in: eax = a term.  out: CF clear and xmm0 = its value; or CF
;; set and eax = ATOM_badarg (not a number) or ATOM_badarith (a bignum
;; beyond the largest double).  Preserves ecx edx; clobbers eax ebx edi
;; xmm0 xmm1 xmm2.
;;
;; A bignum rounds as BEAM's big_to_double on a 64-bit machine (the erl
;; this must match): from the most significant 64-bit digit down,
;; d = d * 2^64 + (double)digit, two roundings a step, and infinity as
;; soon as d overflows.  A 64-bit digit is two of ours; (double) of it is
;; hi * 2^32 + lo, both exact, so the sum rounds once, as C's conversion.
to_double:
  mov ebx, eax
  and ebx, TAG_IMMED1_MASK
  cmp ebx, TAG_SMALL
  jne .not_small
  sar eax, SMALL_SHIFT
  cvtsi2sd xmm0, eax
  clc
  ret
.not_small:
  mov ebx, eax
  and ebx, TAG_PRIMARY_MASK
  cmp ebx, TAG_BOXED
  jne .not_number
  mov ebx, [eax - TAG_BOXED]
  cmp ebx, FLOAT_HEADER
  je .float
  and ebx, HDR_SUBTAG_MASK & ~(HDR_POS_BIG ^ HDR_NEG_BIG)
  cmp ebx, HDR_POS_BIG
  jne .not_number
  push ecx
  push edx
  mov edx, [eax - TAG_BOXED]
  shr edx, HDR_ARITY_SHIFT          ; edx = our 32-bit digits
  lea edi, [eax - TAG_BOXED + 4]
  lea ecx, [edx + 1]
  shr ecx, 1                        ; ecx = 64-bit digits
  xorpd xmm0, xmm0
  mov dword [magic + 4], 0x43300000 ; 2^52 as the high word
.digit:
  dec ecx
  mulsd xmm0, [two_64]
  lea ebx, [2 * ecx + 1]
  xor eax, eax                      ; the high half, 0 past the top digit
  cmp ebx, edx
  jae .high
  mov eax, [edi + 4 * ebx]
.high:
  mov [magic], eax
  movsd xmm1, [magic]
  subsd xmm1, [two_52]              ; hi, exactly
  mulsd xmm1, [two_32]
  mov eax, [edi + 8 * ecx]
  mov [magic], eax
  movsd xmm2, [magic]
  subsd xmm2, [two_52]              ; lo, exactly
  addsd xmm1, xmm2                  ; (double) of the 64-bit digit
  addsd xmm0, xmm1
  JUMP_IF_NOT_FINITE xmm0, eax, .too_large
  test ecx, ecx
  jnz .digit
  pop edx
  pop ecx
  mov eax, [edi - 4]
  and eax, HDR_POS_BIG ^ HDR_NEG_BIG
  jz .positive
  movsd [magic], xmm0
  xor byte [magic + 7], 0x80
  movsd xmm0, [magic]
.positive:
  clc
  ret
.too_large:
  pop edx
  pop ecx
  mov eax, ATOM_badarith
  stc
  ret
.float:
  movsd xmm0, [eax - TAG_BOXED + 4]
  clc
  ret
.not_number:
  mov eax, ATOM_badarg
  stc
  ret

;; xb_fconv — fconv's slow path (emitted code converts smalls inline).
;; in: eax = a term.  out: xmm0 = its value as a double.  Raises
;; error:badarith for anything but a number, or a bignum too large.
;; Clobbers eax ebx edi xmm1 xmm2.  Called by CALLA.
xb_fconv:
  call to_double
  jc xb_badarith
  ret

; ===========================================================================
; Guard BIFs on floats.

;; xb_num_add, xb_num_sub, xb_num_mul — +, -, * when the operands are not
;; both small (bifs.asm jumps here): a float operand makes it float
;; arithmetic, else the integers go on to bignum.asm.  Guard-BIF contract.
%macro FLOAT_OR_BIG 3               ; symbol, SSE2 operation, bignum fragment
%1:
  IS_FLOAT_JUMP eax, %%float
  IS_FLOAT_JUMP edx, %%float
  jmp %3
%%float:
  call to_double
  jc badarith
  movsd [farg], xmm0
  mov eax, edx
  call to_double
  jc badarith
  movapd xmm1, xmm0
  movsd xmm0, [farg]
  %2 xmm0, xmm1
  JUMP_IF_NOT_FINITE xmm0, ebx, badarith
  jmp box_ret
%endmacro

FLOAT_OR_BIG xb_num_add, addsd, xb_big_add
FLOAT_OR_BIG xb_num_sub, subsd, xb_big_sub
FLOAT_OR_BIG xb_num_mul, mulsd, xb_big_mul

;; '/'/2 — always a float; a zero divisor is badarith, as in BEAM.
xb_bif_divide_2:
  call to_double
  jc badarith
  movsd [farg], xmm0
  mov eax, edx
  call to_double
  jc badarith
  xorpd xmm1, xmm1
  ucomisd xmm0, xmm1
  je badarith                       ; 0.0 and -0.0
  movapd xmm1, xmm0
  movsd xmm0, [farg]
  divsd xmm0, xmm1
  JUMP_IF_NOT_FINITE xmm0, ebx, badarith
  jmp box_ret

;; float/1 — badarg for a non-number, and for a bignum beyond the doubles.
xb_bif_float_1:
  IS_FLOAT_JUMP eax, .same
  call to_double
  jc badarg
  jmp box_ret
.same:
  ret

;; xb_float_negate — -X of a float X (bifs.asm's -/1 jumps here): the sign
;; flipped, so -(0.0) is -0.0, as in BEAM.  in: eax = a float, ecx = live.
xb_float_negate:
  movsd xmm0, [eax - TAG_BOXED + 4]
  movsd [fval], xmm0
  xor byte [fval + 7], 0x80
  movsd xmm0, [fval]
  jmp box_ret

;; xb_float_abs — abs(X) of a float X (from bifs.asm's abs/1): BEAM negates
;; only what is below zero, so abs(-0.0) is -0.0.
xb_float_abs:
  movsd xmm0, [eax - TAG_BOXED + 4]
  xorpd xmm1, xmm1
  ucomisd xmm0, xmm1
  jae .same
  movsd [fval], xmm0
  xor byte [fval + 7], 0x80
  movsd xmm0, [fval]
  jmp box_ret
.same:
  ret

; ===========================================================================
; Floats to integers: round/1, trunc/1, floor/1, ceil/1.  An integer is
; itself; anything else is badarg.  A float below 2^63 in magnitude is
; rounded on the x87 to a 64-bit integer (exact: frndint keeps doubles
; exact); a larger one is already an integer and becomes a bignum built
; from its bits.  round/1 is C's round(): half away from zero.

xb_bif_trunc_1:
  mov word [cw_new], RC_CHOP
  mov byte [round_away], 0
  jmp to_integer
xb_bif_floor_1:
  mov word [cw_new], RC_DOWN
  mov byte [round_away], 0
  jmp to_integer
xb_bif_ceil_1:
  mov word [cw_new], RC_UP
  mov byte [round_away], 0
  jmp to_integer
xb_bif_round_1:
  mov word [cw_new], RC_CHOP        ; trunc, then away from zero from .5 on
  mov byte [round_away], 1
to_integer:
  mov ebx, eax
  and ebx, TAG_IMMED1_MASK
  cmp ebx, TAG_SMALL
  je .integer
  mov ebx, eax
  and ebx, TAG_PRIMARY_MASK
  cmp ebx, TAG_BOXED
  jne badarg
  mov ebx, [eax - TAG_BOXED]
  cmp ebx, FLOAT_HEADER
  je .float
  and ebx, HDR_SUBTAG_MASK & ~(HDR_POS_BIG ^ HDR_NEG_BIG)
  cmp ebx, HDR_POS_BIG
  jne badarg
.integer:
  ret
.float:
  movsd xmm0, [eax - TAG_BOXED + 4]
  movsd [fval], xmm0
  mov ebx, [fval + 4]
  and ebx, 0x7fffffff
  cmp ebx, 0x43e00000               ; |x| >= 2^63: already an integer
  jae big_from_double
  fnstcw [cw_saved]
  mov bx, [cw_saved]
  and bx, ~RC_MASK
  or [cw_new], bx
  fldcw [cw_new]
  fld qword [fval]
  frndint                           ; in the chosen direction
  cmp byte [round_away], 0
  je .store
  ; round: t = trunc(x) in st0; away from zero when |x - t| >= 0.5
  fld qword [fval]
  fsub st0, st1                     ; x - t (exact), t
  fabs
  fld qword [half]
  fcomip st0, st1                   ; 0.5 against |x - t|
  fstp st0
  ja .store
  fld1
  test byte [fval + 7], 0x80
  jz .up
  fchs
.up:
  faddp st1, st0
.store:
  fistp qword [i64]
  fldcw [cw_saved]
  mov eax, [i64]
  mov edx, [i64 + 4]
  jmp xb_big_from_int64

;; big_from_double — in: fval = a double with |x| >= 2^63 (an integer),
;; ecx = live x registers.  out: eax = the bignum m * 2^e, exactly.
big_from_double:
  mov eax, [fval + 4]
  shr eax, 20
  and eax, 0x7ff
  sub eax, 1075                     ; x = m * 2^e, m of 53 bits, e >= 11
  mov [fbig_e], eax
  add eax, 53 + 31
  shr eax, 5                        ; digits: the top bit is bit 52 + e
  mov [fbig_n], eax
  inc eax
  ENSURE_HEAP
  mov ecx, [fbig_n]
  lea edi, [esi + 4]
  xor eax, eax
  rep stosd
  mov eax, [fval]
  mov edx, [fval + 4]
  and edx, 0xfffff
  or edx, 0x100000                  ; edx:eax = m
  mov ecx, [fbig_e]
  mov ebx, ecx
  shr ebx, 5                        ; the digit m's low bit goes to
  and ecx, 31                       ; ... and how far up in it
  xor edi, edi
  shld edi, edx, cl
  shld edx, eax, cl
  shl eax, cl                       ; edi:edx:eax = m << (e mod 32)
  mov [esi + 4 + 4 * ebx], eax
  inc ebx
  cmp ebx, [fbig_n]
  jae .placed
  mov [esi + 4 + 4 * ebx], edx
  inc ebx
  cmp ebx, [fbig_n]
  jae .placed
  mov [esi + 4 + 4 * ebx], edi
.placed:
  mov eax, [fbig_n]
  shl eax, HDR_ARITY_SHIFT
  or eax, HDR_POS_BIG
  test byte [fval + 7], 0x80
  jz .header
  or eax, HDR_POS_BIG ^ HDR_NEG_BIG
.header:
  mov [esi], eax
  lea eax, [esi + TAG_BOXED]
  mov ecx, [fbig_n]
  lea esi, [esi + 4 * ecx + 4]
  ret

; ===========================================================================
; The bits of a float, for runtime-erl/xbeam_float.erl (which does the
; decimal conversions in Erlang, with exact integer arithmetic).

;; xbeam:float_to_bits(F) — the IEEE pattern read as a signed 64-bit
;; integer (negative for a negative float).
xb_float_to_bits_1:
  mov eax, [xb_xregs]
  IS_FLOAT_JUMP eax, .float
  mov eax, ATOM_badarg
  jmp xb_raise_atom
.float:
  mov edx, [eax - TAG_BOXED + 8]
  mov eax, [eax - TAG_BOXED + 4]
  xor ecx, ecx
  CALLA xb_big_from_int64
  mov [xb_xregs], eax
  ret

;; xbeam:float_from_bits(I) — the float whose pattern is the low 64 bits
;; of I (an integer of at most 64 bits, either sign); badarg for a
;; pattern of infinity or NaN.
xb_float_from_bits_1:
  mov eax, [xb_xregs]
  mov ebx, eax
  and ebx, TAG_IMMED1_MASK
  cmp ebx, TAG_SMALL
  jne .big
  sar eax, SMALL_SHIFT
  cdq
  jmp .bits
.big:
  mov ebx, eax
  and ebx, TAG_PRIMARY_MASK
  cmp ebx, TAG_BOXED
  jne .badarg
  mov ebx, [eax - TAG_BOXED]
  mov ecx, ebx
  shr ecx, HDR_ARITY_SHIFT
  cmp ecx, 2
  ja .badarg
  and ebx, HDR_SUBTAG_MASK
  xor edx, edx
  cmp ecx, 2
  jb .one_digit
  mov edx, [eax - TAG_BOXED + 8]
.one_digit:
  mov ecx, ebx
  mov eax, [eax - TAG_BOXED + 4]
  cmp ecx, HDR_POS_BIG
  je .bits
  cmp ecx, HDR_NEG_BIG
  jne .badarg
  neg eax                           ; edx:eax = -edx:eax
  adc edx, 0
  neg edx
.bits:
  mov ebx, edx
  and ebx, EXP_MASK_HI
  cmp ebx, EXP_MASK_HI
  je .badarg
  mov [fval], eax
  mov [fval + 4], edx
  movsd xmm0, [fval]
  xor ecx, ecx
  BOX
  mov [xb_xregs], eax
  ret
.badarg:
  mov eax, ATOM_badarg
  jmp xb_raise_atom

; ===========================================================================
; Printing: erlang:display/1 shows a float as C's "%.6e" does (BEAM
; prints with the C library), correctly rounded, ties to even.  The exact
; decimal digits of the double come from integer arithmetic in buffers
; outside the heaps: m * 2^e is the integer m << e when e >= 0, else
; m * 5^-e scaled by 10^e; it is cut into base-10^9 groups by short
; division.  At most 1074 factors of 5 on 53 bits: 2,547 bits, 80 words.

NB_WORDS equ 96

section .bss
nb:       resd NB_WORDS             ; the integer being converted, least significant first
nb_len:   resd 1
groups:   resd 100                  ; its base-10^9 digits, least significant first
fd_e:     resd 1
dig_buf:  resb 900                  ; the decimal digits, most significant first
dig_len:  resd 1
dig_exp:  resd 1                    ; the power of ten of the first digit
out_buf:  resb 32

section .text

;; nb_mul — nb *= eax.  Clobbers eax ebx edx edi esi; preserves ecx.
nb_mul:
  push ecx
  mov ebx, eax
  xor esi, esi                      ; the carry
  xor edi, edi
  mov ecx, [nb_len]
.word:
  cmp edi, ecx
  jae .end
  mov eax, [nb + 4 * edi]
  mul ebx
  add eax, esi
  adc edx, 0
  mov [nb + 4 * edi], eax
  mov esi, edx
  inc edi
  jmp .word
.end:
  test esi, esi
  jz .done
  mov [nb + 4 * edi], esi
  inc dword [nb_len]
.done:
  pop ecx
  ret

;; nb_div — nb /= 10^9, leading zero words dropped.  out: edx = the
;; remainder.  Clobbers eax ebx edi.
nb_div:
  mov ebx, 1000000000
  xor edx, edx
  mov edi, [nb_len]
.word:
  test edi, edi
  jz .strip
  dec edi
  mov eax, [nb + 4 * edi]
  div ebx
  mov [nb + 4 * edi], eax
  jmp .word
.strip:
  mov edi, [nb_len]
.top:
  test edi, edi
  jz .done
  cmp dword [nb + 4 * edi - 4], 0
  jne .done
  dec edi
  jmp .top
.done:
  mov [nb_len], edi
  ret

;; float_digits — in: fval = a finite double, not zero (the sign is
;; ignored).  out: dig_buf = its exact decimal digits, dig_len of them,
;; the first not 0; dig_exp.  Clobbers eax ebx ecx edx edi; preserves esi.
float_digits:
  push esi
  mov eax, [fval]
  mov edx, [fval + 4]
  mov ecx, edx
  shr ecx, 20
  and ecx, 0x7ff
  and edx, 0xfffff
  test ecx, ecx
  jz .subnormal
  or edx, 0x100000
  dec ecx
.subnormal:
  sub ecx, 1074                     ; x = m * 2^ecx
  mov [fd_e], ecx
  mov [nb], eax
  mov [nb + 4], edx
  mov dword [nb_len], 2
  test ecx, ecx
  js .fives
.twos:                              ; m << e, 31 bits at a time
  cmp ecx, 31
  jb .twos_last
  mov eax, 1 << 31
  call nb_mul
  sub ecx, 31
  jmp .twos
.twos_last:
  mov eax, 1
  shl eax, cl
  call nb_mul
  jmp .decimal
.fives:                             ; m * 5^-e, 5^13 at a time
  neg ecx
.fives_13:
  cmp ecx, 13
  jb .fives_last
  mov eax, 1220703125
  call nb_mul
  sub ecx, 13
  jmp .fives_13
.fives_last:
  mov eax, 1
  jecxz .five_done
.five:
  imul eax, eax, 5
  loop .five
.five_done:
  call nb_mul
.decimal:
  xor ecx, ecx
.group:
  call nb_div
  mov [groups + 4 * ecx], edx
  inc ecx
  cmp dword [nb_len], 0
  jne .group
  mov esi, dig_buf
  dec ecx
  mov eax, [groups + 4 * ecx]       ; the top group: no leading zeros
  xor edi, edi
  mov ebx, 10
.top_digit:
  xor edx, edx
  div ebx
  push edx
  inc edi
  test eax, eax
  jnz .top_digit
.top_write:
  pop edx
  add dl, '0'
  mov [esi], dl
  inc esi
  dec edi
  jnz .top_write
.next_group:                        ; the others: 9 digits each
  dec ecx
  js .written
  mov eax, [groups + 4 * ecx]
  mov edi, 8
.nine:
  xor edx, edx
  div ebx
  add dl, '0'
  mov [esi + edi], dl
  dec edi
  jns .nine
  add esi, 9
  jmp .next_group
.written:
  sub esi, dig_buf
  mov [dig_len], esi
  lea eax, [esi - 1]
  mov ecx, [fd_e]
  test ecx, ecx
  jns .exp
  add eax, ecx
.exp:
  mov [dig_exp], eax
  pop esi
  ret

;; round_digits — in: ecx = n >= 1.  Rounds dig_buf to n digits (ties to
;; even, from the exact digits), or pads it with zeros; dig_exp moves up
;; when 9...9 carries.  Clobbers eax ebx edx.
round_digits:
  mov edx, [dig_len]
  cmp edx, ecx
  ja .cut
.pad:
  cmp edx, ecx
  jae .done
  mov byte [dig_buf + edx], '0'
  inc edx
  jmp .pad
.done:
  mov [dig_len], ecx
  ret
.cut:
  mov al, [dig_buf + ecx]
  cmp al, '5'
  ja .up
  jb .done
  lea ebx, [ecx + 1]
.sticky:                            ; a 5: above half when anything follows
  cmp ebx, edx
  jae .tie
  cmp byte [dig_buf + ebx], '0'
  jne .up
  inc ebx
  jmp .sticky
.tie:
  test byte [dig_buf + ecx - 1], 1  ; odd digits have the low bit set
  jz .done
.up:
  lea ebx, [ecx - 1]
.carry:
  cmp byte [dig_buf + ebx], '9'
  jne .increment
  mov byte [dig_buf + ebx], '0'
  dec ebx
  jns .carry
  mov byte [dig_buf], '1'           ; 9...9 + 1 = 10...0
  inc dword [dig_exp]
  jmp .done
.increment:
  inc byte [dig_buf + ebx]
  jmp .done

;; xb_float_format_e — in: eax = the address of a double.  out: eax = its
;; text as "%.6e" prints it ("1.500000e+00", "-0.000000e+00"), ecx = its
;; length.  Allocates nothing.  Clobbers ebx edx edi; preserves esi ebp.
xb_float_format_e:
  movsd xmm0, [eax]
  movsd [fval], xmm0
  mov edi, out_buf
  test byte [fval + 7], 0x80
  jz .positive
  mov byte [edi], '-'
  inc edi
.positive:
  mov eax, [fval + 4]
  and eax, 0x7fffffff
  or eax, [fval]
  jnz .nonzero
  mov dword [dig_len], 0
  mov dword [dig_exp], 0
  jmp .round
.nonzero:
  push edi
  call float_digits
  pop edi
.round:
  mov ecx, 7
  call round_digits
  mov al, [dig_buf]
  mov [edi], al
  mov byte [edi + 1], '.'
  mov eax, [dig_buf + 1]
  mov [edi + 2], eax
  mov ax, [dig_buf + 5]
  mov [edi + 6], ax
  mov byte [edi + 8], 'e'
  add edi, 9
  mov eax, [dig_exp]
  mov byte [edi], '+'
  test eax, eax
  jns .exp_sign
  mov byte [edi], '-'
  neg eax
.exp_sign:
  inc edi
  cmp eax, 100
  jb .two_digits
  xor edx, edx
  mov ebx, 100
  div ebx
  add al, '0'
  mov [edi], al
  inc edi
  mov eax, edx
.two_digits:
  mov bl, 10
  div bl                            ; al = tens, ah = units
  add ax, '00'
  mov [edi], ax
  add edi, 2
  mov ecx, edi
  sub ecx, out_buf
  mov eax, out_buf
  ret

; ===========================================================================
; The math module (math.beam only has NIF stubs; emitter/bifs.ts points
; them here).  Arguments convert as BEAM converts them: a non-number is
; badarg, a bignum beyond the doubles badarith; a result that is not
; finite (a domain error, a pole, an overflow) is badarith.
;
; sqrt is SSE2's sqrtsd, correctly rounded as libm's.  The rest run on the
; x87 in extended precision (64-bit significands) and round once to a
; double at the end.  glibc's functions are correctly rounded or nearly
; so; these are within an ulp and may differ from BEAM's result in the
; last bit: exp and pow through 2^(y log2 x), whose argument loses a
; little for results far from 1; sin, cos and tan, whose argument
; reduction uses the x87's 66-bit pi (worse near large multiples of pi);
; the hyperbolic functions, built on expm1 and log1p.  pow with an
; integer exponent below 2^31 multiplies by squaring, which is exact for
; small powers.

section .bss
pow_n:   resd 1
pow_neg: resb 1
section .rodata
align 8
two_31:     dq 2147483648.0
two_53:     dq 9007199254740992.0
twenty_two: dq 22.0
log1p_max:  dq 0.29                 ; fyl2xp1 wants |y| < 1 - sqrt(2)/2
section .text

;; MATH_1 symbol, routine — x0 to a double, the routine on the x87 (st0
;; in, st0 out; the argument also in fval), the result boxed into x0.
%macro MATH_1 2
global %1
%1:
  mov eax, [xb_xregs]
  call to_double
  jc xb_raise_atom
  movsd [fval], xmm0
  fld qword [fval]
  call %2
  jmp math_result
%endmacro

;; MATH_2 symbol, routine — the same with x0 in farg and st1, x1 in st0.
%macro MATH_2 2
global %1
%1:
  mov eax, [xb_xregs]
  call to_double
  jc xb_raise_atom
  movsd [farg], xmm0
  mov eax, [xb_xregs + 4]
  call to_double
  jc xb_raise_atom
  movsd [fval], xmm0
  fld qword [farg]
  fld qword [fval]
  call %2
  jmp math_result
%endmacro

;; math_result — st0 rounded to a double; badarith unless finite; boxed
;; into x0; returns to the caller.
math_result:
  fstp qword [fval]
  movsd xmm0, [fval]
  JUMP_IF_NOT_FINITE xmm0, eax, xb_badarith
  xor ecx, ecx
  BOX
  mov [xb_xregs], eax
  ret

;; exp2 — st0 = t -> 2^t.
exp2:
  fld st0
  frndint                           ; n, t
  fsub st1, st0                     ; n, f = t - n (|f| <= 1/2)
  fxch
  f2xm1                             ; 2^f - 1, n
  fld1
  faddp st1, st0
  fscale                            ; 2^f * 2^n, n
  fstp st1
  ret

;; expm1 — st0 = x -> e^x - 1, accurate near 0.
expm1:
  fldl2e
  fmulp st1, st0                    ; t = x log2 e
  fld st0
  fabs
  fld1
  fcomip st0, st1                   ; 1 against |t|
  fstp st0
  jb .far
  f2xm1
  ret
.far:
  call exp2
  fld1
  fsubp st1, st0
  ret

;; log1p — st0 = y -> ln(1 + y), accurate near 0.
log1p:
  fld st0
  fabs
  fld qword [log1p_max]
  fcomip st0, st1
  fstp st0
  jbe .far
  fldln2
  fxch
  fyl2xp1
  ret
.far:
  fld1
  faddp st1, st0
  fldln2
  fxch
  fyl2x
  ret

;; reduce — st0 = x; beyond 2^63, where fsin and the like give up, x rem 2 pi.
reduce:
  fld st0
  fabs
  fld qword [two_63]
  fcomip st0, st1
  fstp st0
  ja .done
  fldpi
  fadd st0, st0
  fxch
.rem:
  fprem1
  fnstsw ax
  test ah, 4                        ; C2: not finished
  jnz .rem
  fstp st1
.done:
  ret

m_sqrt:
  fstp qword [fval]
  movsd xmm0, [fval]
  sqrtsd xmm0, xmm0
  movsd [fval], xmm0
  fld qword [fval]
  ret
m_exp:
  fldl2e
  fmulp st1, st0
  jmp exp2
m_log:
  fldln2
  fxch
  fyl2x
  ret
m_log2:
  fld1
  fxch
  fyl2x
  ret
m_log10:
  fldlg2
  fxch
  fyl2x
  ret
m_sin:
  call reduce
  fsin
  ret
m_cos:
  call reduce
  fcos
  ret
m_tan:
  call reduce
  fptan
  fstp st0
  ret
m_atan:
  fld1
  fpatan
  ret
m_asin:                             ; atan2(x, sqrt((1 - x)(1 + x)))
  fld1
  fsub st0, st1
  fld1
  fadd st0, st2
  fmulp st1, st0
  fsqrt
  fpatan
  ret
m_acos:                             ; atan2(sqrt((1 - x)(1 + x)), x)
  fld1
  fsub st0, st1
  fld1
  fadd st0, st2
  fmulp st1, st0
  fsqrt
  fxch
  fpatan
  ret
;; The hyperbolic functions, on a = |x|; the sign comes back from fval.
m_sinh:                             ; (E + E / (E + 1)) / 2, E = expm1(a)
  fabs
  call expm1
  fld1
  fadd st0, st1
  fdivr st0, st1
  faddp st1, st0
  fmul qword [half]
  jmp odd_sign
m_cosh:                             ; (e + 1 / e) / 2, e = exp(a)
  fabs
  call m_exp
  fld1
  fdiv st0, st1
  faddp st1, st0
  fmul qword [half]
  ret
m_tanh:                             ; E / (E + 2), E = expm1(2a); 1 beyond 22
  fabs
  fld qword [twenty_two]
  fcomip st0, st1
  jb .one
  fadd st0, st0
  call expm1
  fld st0
  fadd qword [two_const]
  fdivp st1, st0
  jmp odd_sign
.one:
  fstp st0
  fld1
  jmp odd_sign
m_asinh:                            ; log1p(a + a^2 / (1 + sqrt(1 + a^2)))
  fabs
  fld st0
  fmul st0, st0                     ; a^2, a
  fld st0
  fld1
  faddp st1, st0
  fsqrt
  fld1
  faddp st1, st0                    ; 1 + sqrt(1 + a^2), a^2, a
  fdivp st1, st0                    ; a^2 / (...), a
  faddp st1, st0
  call log1p
  jmp odd_sign
m_acosh:                            ; log1p(t + sqrt(2t + t^2)), t = x - 1
  fld1
  fsubp st1, st0                    ; t
  fld st0
  fld st0
  fadd st0, st0                     ; 2t, t, t
  fld st1
  fmul st0, st0                     ; t^2, 2t, t, t
  faddp st1, st0
  fsqrt
  faddp st1, st0
  fstp st1
  jmp log1p
m_atanh:                            ; log1p(2a / (1 - a)) / 2
  fabs
  fld st0
  fadd st0, st0                     ; 2a, a
  fld1
  fsub st0, st2                     ; 1 - a, 2a, a
  fdivp st1, st0
  fstp st1
  call log1p
  fmul qword [half]
  jmp odd_sign
;; odd_sign — st0 gets the sign of the argument in fval.
odd_sign:
  test byte [fval + 7], 0x80
  jz .done
  fchs
.done:
  ret

;; floor and ceil keep the sign of zero, as C's: ceil(-0.5) is -0.0.
m_floor:
  mov word [cw_new], RC_DOWN
  jmp round_to
m_ceil:
  mov word [cw_new], RC_UP
round_to:
  fnstcw [cw_saved]
  mov ax, [cw_saved]
  and ax, ~RC_MASK
  or [cw_new], ax
  fldcw [cw_new]
  frndint
  fldcw [cw_saved]
  ret

m_atan2:                            ; st1 = y, st0 = x: atan(y / x) in its quadrant
  fpatan
  ret

m_fmod:                             ; st1 = x, st0 = y: x - trunc(x / y) y, exactly
  fxch
.rem:
  fprem
  fnstsw ax
  test ah, 4
  jnz .rem
  fstp st1
  ret

;; pow — st1 = x, st0 = y (x also in farg).  C99's special cases first:
;; y = 0 or x = 1 give 1; a zero x gives 0 (signed for an odd y) or a pole;
;; a negative x wants an integer y.
m_pow:
  mov byte [pow_neg], 0
  fldz
  fcomip st0, st1
  je .one
  fld1
  fcomip st0, st2
  je .one
  fld st0
  frndint
  fcomip st0, st1
  jne .fraction
  fld st0
  fabs
  fld qword [two_31]
  fcomip st0, st1
  fstp st0
  ja .small_integer
  fld st0                           ; a large integer y: odd only below 2^53
  fabs
  fld qword [two_53]
  fcomip st0, st1
  fstp st0
  jbe .magnitude
  fld st0
  fistp qword [i64]
  test byte [i64], 1
  jz .magnitude
  test byte [farg + 7], 0x80
  jz .magnitude
  mov byte [pow_neg], 1
  jmp .magnitude
.fraction:
  fldz
  fcomip st0, st2
  je .zero_base
  ja .nan                           ; a negative x
.magnitude:                         ; 2^(y log2 |x|), then the sign
  fldz
  fcomip st0, st2
  je .zero_base
  fxch
  fabs
  fyl2x
  call exp2
  cmp byte [pow_neg], 0
  je .done
  fchs
.done:
  ret
.small_integer:                     ; by squaring; 1 / x^-n for n < 0
  fistp dword [pow_n]               ; x
  mov eax, [pow_n]
  mov edx, eax
  test eax, eax
  jns .positive
  neg eax
.positive:
  fld1                              ; r, b
.bit:
  test eax, 1
  jz .square
  fmul st0, st1
.square:
  shr eax, 1
  jz .powered
  fxch
  fmul st0, st0
  fxch
  jmp .bit
.powered:
  fstp st1
  test edx, edx
  jns .done
  fld1
  fdivrp st1, st0
  ret
.zero_base:                         ; y > 0: 0 (-0 for an odd y, x = -0); y < 0: a pole
  fldz
  fcomip st0, st1
  fstp st0
  fstp st0
  ja .pole
  fldz
  cmp byte [pow_neg], 0
  je .done
  fchs
  ret
.pole:
  fld1
  fldz
  fdivp st1, st0
  ret
.nan:
  fstp st0
  fstp st0
  fldz
  fldz
  fdivp st1, st0
  ret
.one:
  fstp st0
  fstp st0
  fld1
  ret

section .rodata
align 8
two_const: dq 2.0
section .text

MATH_1 xb_math_sqrt_1, m_sqrt
MATH_1 xb_math_exp_1, m_exp
MATH_1 xb_math_log_1, m_log
MATH_1 xb_math_log2_1, m_log2
MATH_1 xb_math_log10_1, m_log10
MATH_1 xb_math_sin_1, m_sin
MATH_1 xb_math_cos_1, m_cos
MATH_1 xb_math_tan_1, m_tan
MATH_1 xb_math_asin_1, m_asin
MATH_1 xb_math_acos_1, m_acos
MATH_1 xb_math_atan_1, m_atan
MATH_1 xb_math_sinh_1, m_sinh
MATH_1 xb_math_cosh_1, m_cosh
MATH_1 xb_math_tanh_1, m_tanh
MATH_1 xb_math_asinh_1, m_asinh
MATH_1 xb_math_acosh_1, m_acosh
MATH_1 xb_math_atanh_1, m_atanh
MATH_1 xb_math_floor_1, m_floor
MATH_1 xb_math_ceil_1, m_ceil
MATH_2 xb_math_atan2_2, m_atan2
MATH_2 xb_math_fmod_2, m_fmod
MATH_2 xb_math_pow_2, m_pow
