; runtime-asm/bignum.asm — integers of any size.
;
; In:  integer terms, small or bignum.  Out: normalized integer terms on the
;      process heap; the order of two integers; the decimal digits of a
;      bignum (for print.asm).
;
; A bignum is boxed: the header digits << 6 | HDR_POS_BIG (or HDR_NEG_BIG),
; then the magnitude's 32-bit digits, least significant first.  Always
; normalized: the top digit is not zero, and a value that fits in 28 bits
; is a small, never a bignum, so that =:= can compare words.  At most
; BIG_MAX_DIGITS digits (16,777,184 bits, the limit of a 32-bit BEAM); a
; larger result is error:system_limit.
;
; Every operation looks at its two operands through *views* (va, vb in
; .bss): the address of the magnitude's digits, how many there are (0 for
; zero) and the sign.  A small is viewed through a one-digit slot in its
; view, so the algorithms below never care which kind an operand is.  The
; algorithms work on magnitudes and settle the sign apart:
;   - add, subtract: schoolbook, with carries; differing signs subtract the
;     smaller magnitude from the larger;
;   - multiply: schoolbook, the shorter operand in the outer loop;
;   - divide with remainder: Knuth's algorithm D (TAOCP 4.3.1) on a
;     normalized copy (divisor shifted so that its top bit is set); one
;     division by a one-digit divisor is a plain short division.  The
;     quotient truncates toward zero, the remainder has the dividend's
;     sign (Erlang's div and rem);
;   - band, bor, bxor: on the two's-complement forms of both operands, one
;     digit longer than the longer operand so that the top bit is the sign;
;     a negative result is complemented back to a magnitude;
;   - bsl, bsr: whole digits and then bits; a negative count shifts the
;     other way; shifting a negative number right rounds toward minus
;     infinity (add one to the magnitude when a 1 bit falls off).
;
; The two-operand fragments follow the guard-BIF contract (bifs.asm):
;   in:  eax, edx = the operands (terms), ecx = live x registers
;   out: eax = the result, or NON_VALUE with the reason in P_FVALUE
;        (badarith when an operand is not an integer or the divisor is 0,
;        system_limit when the result is too large)
;   clobbers ebx ecx edx edi; may collect.
; They are entered by jmp from the guard BIFs (or by CALLA), so the stack
; holds only terms and aligned return addresses: each computes a safe upper
; bound on its result's size first, makes room (collecting, with the
; operands pushed on the stack as terms, where the collector updates them,
; and decoded again after), then computes into the heap at HTOP, strips
; leading zeros and gives back the words it did not use.  No raw value is
; ever on the stack while the collector runs: the state lives in .bss.
%include "macros.inc"

global xb_big_add, xb_big_sub, xb_big_mul, xb_big_div, xb_big_rem
global xb_big_band, xb_big_bor, xb_big_bxor, xb_big_bsl, xb_big_bsr
global xb_big_from_int64, xb_big_compare, xb_big_to_decimal, xb_big_finish
extern xb_gc, xb_alloc

BIG_MAX_DIGITS equ (1 << 19) - 1    ; BEAM's BIG_ARITY_MAX with 32-bit digits
BIG_MAX_BITS   equ BIG_MAX_DIGITS * 32
SIGN_BIT       equ HDR_NEG_BIG ^ HDR_POS_BIG ; the header bit that says negative
SIGN_SHIFT     equ 2                ; ... and its position

;; A view of an integer operand.
struc VIEW
  .ptr:   resd 1                    ; the magnitude's digits, least significant first
  .len:   resd 1                    ; how many (0 for zero)
  .neg:   resd 1                    ; 1 when negative, else 0
  .digit: resd 1                    ; a small's magnitude (.ptr points here)
endstruc

section .bss
va:       resb VIEW_size            ; the first operand
vb:       resb VIEW_size            ; the second
arg_a:    resd 1                    ; the operands as terms, until a collection
arg_b:    resd 1
live:     resd 1                    ; live x registers, for xb_gc
op:       resd 1                    ; the operation: address of {size, compute}
res_len:  resd 1                    ; the result's digits (leading zeros allowed)
res_neg:  resd 1                    ; and its sign
i64:      resq 1                    ; xb_big_from_int64's value across a collection

; multiplication
mul_outer_ptr: resd 1
mul_outer_len: resd 1
mul_inner_ptr: resd 1
mul_inner_len: resd 1

; division (algorithm D): u (the dividend, then the remainder), v (the
; divisor) and q (the quotient) are in the heap above HTOP
div_u:     resd 1
div_v:     resd 1
div_q:     resd 1
div_n:     resd 1                   ; digits in the divisor
div_m:     resd 1                   ; digits in the quotient, less one
div_j:     resd 1                   ; the quotient digit being found
div_shift: resd 1                   ; normalization shift, 0..31
div_qhat:  resd 1                   ; the estimate of q[j] ...
div_rhat:  resd 1                   ; ... and the matching remainder

; bitwise operations: both operands in two's complement, bw_n digits each
bw_n:      resd 1
bw_s:      resd 1                   ; the second operand's copy

; shifts
shift_dir:   resd 1                 ; 0: bsl, 1: bsr (the count's meaning)
shift_right: resd 1                 ; 1 when the effective shift is to the right
shift_n:     resd 1                 ; the effective count, in bits

; decimal conversion
dec_neg:   resd 1
dec_len:   resd 1
dec_out:   resd 1
scratch_ptr:   resd 1               ; a buffer outside the heaps, grown on demand
scratch_words: resd 1

section .text

%macro FAIL 1                       ; fail with reason atom %1 (guard-BIF contract)
  mov dword [ebp + P_FVALUE], %1
  xor eax, eax
  ret
%endmacro

;; INTEGER_OR reg, label — jumps to label unless reg is an integer (small or
;; bignum).  Clobbers ebx (ecx holds the live count).
%macro INTEGER_OR 2
  mov ebx, %1
  and ebx, TAG_IMMED1_MASK
  cmp ebx, TAG_SMALL
  je %%ok
  mov ebx, %1
  and ebx, TAG_PRIMARY_MASK
  cmp ebx, TAG_BOXED
  jne %2
  mov ebx, [%1 - TAG_BOXED]
  and ebx, HDR_SUBTAG_MASK & ~SIGN_BIT
  cmp ebx, HDR_POS_BIG
  jne %2
%%ok:
%endmacro

;; LOAD_AB — A's digits and length in ebx, ecx; B's in edx, eax.
%macro LOAD_AB 0
  mov ebx, [va + VIEW.ptr]
  mov ecx, [va + VIEW.len]
  mov edx, [vb + VIEW.ptr]
  mov eax, [vb + VIEW.len]
%endmacro

badarith: FAIL ATOM_badarith

; ===========================================================================
; Views and results.

;; decode — in: eax = an integer term, edi = a view.  Fills the view.
;; Clobbers eax ecx.
decode:
  mov ecx, eax
  and ecx, TAG_IMMED1_MASK
  cmp ecx, TAG_SMALL
  jne .bignum
  xor ecx, ecx
  sar eax, SMALL_SHIFT              ; (sets SF from the value)
  jns .positive
  neg eax
  inc ecx
.positive:
  mov [edi + VIEW.neg], ecx
  mov [edi + VIEW.digit], eax
  lea ecx, [edi + VIEW.digit]
  mov [edi + VIEW.ptr], ecx
  cmp eax, 1                        ; CF when the value is 0
  sbb ecx, ecx
  inc ecx                           ; 0 digits for 0, else 1
  mov [edi + VIEW.len], ecx
  ret
.bignum:
  mov ecx, [eax - TAG_BOXED]        ; the header
  lea eax, [eax - TAG_BOXED + 4]
  mov [edi + VIEW.ptr], eax
  mov eax, ecx
  shr eax, HDR_ARITY_SHIFT
  mov [edi + VIEW.len], eax
  and ecx, SIGN_BIT
  shr ecx, SIGN_SHIFT
  mov [edi + VIEW.neg], ecx
  ret

;; decode_args — views of [arg_a] and [arg_b].  Clobbers eax ecx edi.
decode_args:
  mov eax, [arg_a]
  mov edi, va
  call decode
  mov eax, [arg_b]
  mov edi, vb
  jmp decode

;; finish — in: the result's magnitude at HTOP + 4, [res_len] digits of it
;; (leading zeros allowed), [res_neg].  out: eax = the normalized term:
;; a small (HTOP unchanged), or a bignum (HTOP past it); NON_VALUE with
;; system_limit when it has more than BIG_MAX_DIGITS digits.  Clobbers ecx edx.
;; xb_big_finish is the same for other fragments (bit syntax): in: ecx =
;; the digit count, edx = 1 for a negative number, the digits at HTOP + 4.
xb_big_finish:
  mov [res_len], ecx
  mov [res_neg], edx
finish:
  mov ecx, [res_len]
.strip:
  test ecx, ecx
  jz .zero
  cmp dword [esi + 4 * ecx], 0      ; digit ecx - 1
  jne .stripped
  dec ecx
  jmp .strip
.zero:
  mov eax, TAG_SMALL                ; 0 (a negative zero too)
  ret
.stripped:
  cmp ecx, 1
  ja .bignum
  mov eax, [esi + 4]
  cmp dword [res_neg], 0
  jne .negative
  cmp eax, MAX_SMALL
  ja .bignum
  TAG_SMALL_INT eax
  ret
.negative:
  cmp eax, -MIN_SMALL
  ja .bignum
  neg eax
  TAG_SMALL_INT eax
  ret
.bignum:
  cmp ecx, BIG_MAX_DIGITS
  ja .too_large
  mov eax, ecx
  shl eax, HDR_ARITY_SHIFT
  or eax, HDR_POS_BIG
  cmp dword [res_neg], 0
  je .header
  or eax, SIGN_BIT
.header:
  mov [esi], eax
  lea eax, [esi + TAG_BOXED]
  lea esi, [esi + 4 * ecx + 4]
  ret
.too_large:
  FAIL ATOM_system_limit

; ===========================================================================
; The shared frame of the two-operand fragments.
;
; An operation is two routines, {size, compute}:
;   size    — in: va, vb.  out: CF clear and eax = the heap words to make
;             room for (header included); or CF set and eax = the result
;             (a term, or NON_VALUE with P_FVALUE set).  Allocates nothing.
;   compute — in: va, vb, that room above HTOP.  out: the result's digits at
;             HTOP + 4, [res_len], [res_neg].  Preserves esi and ebp.
; Both clobber eax ebx ecx edx edi.

;; binop — in: eax, edx = the operands, ecx = live x registers, ebx = the
;; operation.  The guard-BIF contract (see the top of the file).
binop:
  mov [live], ecx
  mov [op], ebx
  INTEGER_OR eax, badarith
  INTEGER_OR edx, badarith
  mov [arg_a], eax
  mov [arg_b], edx
  call decode_args
  mov ebx, [op]
  call [ebx]                        ; size
  jc .done
  lea edx, [esi + 4 * eax]
  cmp edx, [ebp + P_HEND]
  jbe .room
  push dword [arg_a]                ; terms, which the collector moves
  push dword [arg_b]
  mov ecx, [live]
  CALLA xb_gc
  pop dword [arg_b]
  pop dword [arg_a]
  call decode_args                  ; the digits moved with them
.room:
  mov ebx, [op]
  call [ebx + 4]                    ; compute
  jmp finish
.done:
  ret

;; The two-operand fragments.  Contract of each (the guard-BIF contract):
;;   in:  eax, edx = the operands, ecx = live x registers
;;   out: eax = the normalized result, or NON_VALUE with P_FVALUE = badarith
;;        (an operand not an integer; div, rem: a zero divisor) or
;;        system_limit (more than BIG_MAX_DIGITS digits)
;;   clobbers ebx ecx edx edi; may collect (enter by jmp or CALLA).
;; xb_big_add: eax + edx.  xb_big_sub: eax - edx.  xb_big_mul: eax * edx.
;; xb_big_div: eax div edx.  xb_big_rem: eax rem edx.
;; xb_big_band, xb_big_bor, xb_big_bxor: two's-complement bitwise.
;; xb_big_bsl: eax bsl edx.  xb_big_bsr: eax bsr edx.  A negative count
;; shifts the other way; 0 shifted is 0; a count that is itself a bignum
;; shifts everything out (to the right) or is system_limit (to the left).
xb_big_add:
  mov ebx, op_add
  jmp binop
xb_big_sub:
  mov ebx, op_sub
  jmp binop
xb_big_mul:
  mov ebx, op_mul
  jmp binop
xb_big_div:
  mov ebx, op_div
  jmp binop
xb_big_rem:
  mov ebx, op_rem
  jmp binop
xb_big_band:
  mov ebx, op_band
  jmp binop
xb_big_bor:
  mov ebx, op_bor
  jmp binop
xb_big_bxor:
  mov ebx, op_bxor
  jmp binop
xb_big_bsl:
  mov dword [shift_dir], 0
  mov ebx, op_shift
  jmp binop
xb_big_bsr:
  mov dword [shift_dir], 1
  mov ebx, op_shift
  jmp binop

;; xb_big_from_int64 — in: edx:eax = a signed 64-bit value, ecx = live x
;; registers.  out: eax = the value as an integer term (a small when it
;; fits).  May collect.  Clobbers ebx ecx edx edi.
xb_big_from_int64:
  mov ebx, eax
  sar ebx, 31
  cmp ebx, edx
  jne .bignum                       ; more than 32 bits
  cmp eax, MAX_SMALL
  jg .bignum
  cmp eax, MIN_SMALL
  jl .bignum
  TAG_SMALL_INT eax
  ret
.bignum:
  mov [i64], eax
  mov [i64 + 4], edx
  lea ebx, [esi + 12]               ; header and two digits
  cmp ebx, [ebp + P_HEND]
  jbe .room
  mov eax, 3
  CALLA xb_gc
.room:
  mov eax, [i64]
  mov edx, [i64 + 4]
  xor ecx, ecx
  test edx, edx
  jns .magnitude
  inc ecx
  neg eax                           ; edx:eax = -edx:eax
  adc edx, 0
  neg edx
.magnitude:
  mov [res_neg], ecx
  mov [esi + 4], eax
  mov [esi + 8], edx
  mov dword [res_len], 2
  jmp finish

; ===========================================================================
; Magnitudes: digit vectors, least significant first.  None allocates.

;; mag_cmp — in: ebx, ecx = A's digits and length; edx, eax = B's.
;; out: eax = -1, 0 or 1 as |A| <, =, > |B| (flags from it).  Clobbers ecx edi.
mag_cmp:
  cmp ecx, eax
  jne .differ
.digit:
  test ecx, ecx
  jz .equal
  dec ecx
  mov edi, [ebx + 4 * ecx]
  cmp edi, [edx + 4 * ecx]
  je .digit
.differ:                            ; flags of an unsigned compare
  mov eax, 1
  ja .done
  mov eax, -1
.done:
  test eax, eax
  ret
.equal:
  xor eax, eax
  ret

;; mag_add — in: ebx, ecx = the longer's digits and length; edx, eax = the
;; shorter's; edi = the destination (ecx + 1 digits).  Clobbers eax ecx edx edi.
mag_add:
  push esi
  push ebp
  mov ebp, ecx
  sub ebp, eax                      ; digits the longer has alone
  mov ecx, eax
  xor esi, esi                      ; the index; clears CF
  jecxz .tail
.both:                              ; inc, dec, jecxz and mov keep CF
  mov eax, [ebx + 4 * esi]
  adc eax, [edx + 4 * esi]
  mov [edi + 4 * esi], eax
  inc esi
  dec ecx
  jnz .both
.tail:
  mov ecx, ebp
  jecxz .carry
.one:
  mov eax, [ebx + 4 * esi]
  adc eax, 0
  mov [edi + 4 * esi], eax
  inc esi
  dec ecx
  jnz .one
.carry:
  mov eax, 0
  adc eax, 0
  mov [edi + 4 * esi], eax
  pop ebp
  pop esi
  ret

;; mag_sub — in: ebx, ecx = the larger's digits and length; edx, eax = the
;; smaller's; edi = the destination (ecx digits).  Clobbers eax ecx edx edi.
mag_sub:
  push esi
  push ebp
  mov ebp, ecx
  sub ebp, eax
  mov ecx, eax
  xor esi, esi
  jecxz .tail
.both:
  mov eax, [ebx + 4 * esi]
  sbb eax, [edx + 4 * esi]
  mov [edi + 4 * esi], eax
  inc esi
  dec ecx
  jnz .both
.tail:
  mov ecx, ebp
  jecxz .done
.one:
  mov eax, [ebx + 4 * esi]
  sbb eax, 0
  mov [edi + 4 * esi], eax
  inc esi
  dec ecx
  jnz .one
.done:                              ; no borrow is left: the first is larger
  pop ebp
  pop esi
  ret

;; mag_mul — in: ebx, ecx = A's digits and length; edx, eax = B's (both
;; lengths at least 1); edi = the destination (ecx + eax digits, apart from
;; both).  Clobbers eax ebx ecx edx edi.
mag_mul:
  cmp ecx, eax
  jbe .ordered
  xchg ebx, edx                     ; the shorter in the outer loop
  xchg ecx, eax
.ordered:
  push esi
  push ebp
  mov [mul_outer_ptr], ebx
  mov [mul_outer_len], ecx
  mov [mul_inner_ptr], edx
  mov [mul_inner_len], eax
  push edi
  add ecx, eax
  xor eax, eax
  rep stosd                         ; the destination starts at 0
  pop edi
.outer:                             ; edi = the row's first destination digit
  cmp dword [mul_outer_len], 0
  je .done
  dec dword [mul_outer_len]
  mov ebx, [mul_outer_ptr]
  add dword [mul_outer_ptr], 4
  mov ebx, [ebx]                    ; this row's digit
  test ebx, ebx
  jz .next_row                      ; adds nothing (its top digit is still 0)
  mov esi, [mul_inner_ptr]
  mov ecx, [mul_inner_len]
  push edi
  xor ebp, ebp                      ; the carry digit
.inner:                             ; d + a * b + carry < 2^64: no overflow
  mov eax, [esi]
  mul ebx
  add eax, ebp
  adc edx, 0
  add eax, [edi]
  adc edx, 0
  mov [edi], eax
  mov ebp, edx
  add esi, 4
  add edi, 4
  dec ecx
  jnz .inner
  mov [edi], ebp                    ; the row's top digit (0 until now)
  pop edi
.next_row:
  add edi, 4
  jmp .outer
.done:
  pop ebp
  pop esi
  ret

;; shl_bits — in: ebx = source digits, eax = their count, edi = the
;; destination (the same or higher), cl = a shift of 0..31.
;; out: destination[0..count-1] = source << cl; edx = the bits shifted out
;; of the top.  Clobbers eax edx.
shl_bits:
  push esi
  mov esi, eax
  xor edx, edx
  test esi, esi
  jz .done
  mov eax, [ebx + 4 * esi - 4]
  shld edx, eax, cl                 ; the top digit's bits that fall out
  push edx
.digit:                             ; from the top down: safe in place
  dec esi
  jz .last
  mov eax, [ebx + 4 * esi]
  mov edx, [ebx + 4 * esi - 4]
  shld eax, edx, cl
  mov [edi + 4 * esi], eax
  jmp .digit
.last:
  mov eax, [ebx]
  shl eax, cl
  mov [edi], eax
  pop edx
.done:
  pop esi
  ret

;; shr_bits — in: ebx = source digits, eax = their count, edi = the
;; destination (the same or lower), cl = a shift of 0..31.
;; out: destination[0..count-1] = source >> cl.  Clobbers eax edx.
shr_bits:
  test eax, eax
  jz .done
  push esi
  push ebp
  lea ebp, [eax - 1]                ; the top digit's index
  xor esi, esi
.digit:                             ; from the bottom up: safe in place
  cmp esi, ebp
  je .last
  mov eax, [ebx + 4 * esi]
  mov edx, [ebx + 4 * esi + 4]
  shrd eax, edx, cl
  mov [edi + 4 * esi], eax
  inc esi
  jmp .digit
.last:
  mov eax, [ebx + 4 * esi]
  shr eax, cl
  mov [edi + 4 * esi], eax
  pop ebp
  pop esi
.done:
  ret

;; twos — in: ebx, ecx = a magnitude's digits and length, edx = 1 when the
;; number is negative, edi = the destination, eax = n (at least ecx).
;; out: destination[0..n-1] = the low n digits of the number in two's
;; complement (~m + 1 when negative); edi past them.  The destination may
;; be the source.  Clobbers eax ebx ecx edx edi.
twos:
  push esi
  push ebp
  mov ebp, eax
  mov esi, edx
  neg esi                           ; the mask: 0, or all ones when negative
.digit:                             ; edx = the carry: 1 at first when negative
  test ebp, ebp
  jz .done
  xor eax, eax                      ; above the magnitude, its digits are 0
  test ecx, ecx
  jz .have
  mov eax, [ebx]
  add ebx, 4
  dec ecx
.have:
  xor eax, esi
  add eax, edx
  mov edx, 0
  adc edx, 0
  mov [edi], eax
  add edi, 4
  dec ebp
  jmp .digit
.done:
  pop ebp
  pop esi
  ret

; ===========================================================================
; The operations.

section .rodata
align 4
op_add:   dd add_size, add_compute
op_sub:   dd add_size, sub_compute
op_mul:   dd mul_size, mul_compute
op_div:   dd div_size, div_compute
op_rem:   dd rem_size, rem_compute
op_band:  dd bitwise_size, band_compute
op_bor:   dd bitwise_size, bor_compute
op_bxor:  dd bitwise_size, bxor_compute
op_shift: dd shift_size, shift_compute
section .text

; --- + and -

;; The longer operand's digits, one more for the carry, and the header.
add_size:
  mov eax, [va + VIEW.len]
  mov ecx, [vb + VIEW.len]
  cmp eax, ecx
  jae .longer
  mov eax, ecx
.longer:
  add eax, 2
  clc
  ret

sub_compute:                        ; A - B = A + (-B)
  xor dword [vb + VIEW.neg], 1
add_compute:
  lea edi, [esi + 4]
  mov eax, [va + VIEW.neg]
  cmp eax, [vb + VIEW.neg]
  jne .signs_differ
  mov [res_neg], eax                ; the same sign: add the magnitudes
  LOAD_AB
  cmp ecx, eax
  jae .ordered
  xchg ebx, edx
  xchg ecx, eax
.ordered:
  lea edi, [ecx + 1]
  mov [res_len], edi
  lea edi, [esi + 4]
  jmp mag_add
.signs_differ:                      ; the larger magnitude less the smaller,
  LOAD_AB                           ; with the larger's sign
  call mag_cmp
  jz .zero
  mov edi, [va + VIEW.neg]
  LOAD_AB
  jg .ordered_sub
  xchg ebx, edx
  xchg ecx, eax
  mov edi, [vb + VIEW.neg]
.ordered_sub:
  mov [res_neg], edi
  mov [res_len], ecx
  lea edi, [esi + 4]
  jmp mag_sub
.zero:
  mov dword [res_len], 0
  ret

; --- *

mul_size:
  mov eax, [va + VIEW.len]
  mov ecx, [vb + VIEW.len]
  test eax, eax
  jz .zero
  test ecx, ecx
  jz .zero
  add eax, ecx                      ; the product has la + lb or la + lb - 1 digits
  lea ecx, [eax - 1]
  cmp ecx, BIG_MAX_DIGITS
  ja .too_large                     ; even the shorter is too long
  inc eax                           ; the header
  clc
  ret
.zero:
  mov eax, TAG_SMALL
  stc
  ret
.too_large:
  mov dword [ebp + P_FVALUE], ATOM_system_limit
  xor eax, eax
  stc
  ret

mul_compute:
  mov eax, [va + VIEW.neg]
  xor eax, [vb + VIEW.neg]
  mov [res_neg], eax
  LOAD_AB
  lea edi, [ecx + eax]
  mov [res_len], edi
  lea edi, [esi + 4]
  jmp mag_mul

; --- div and rem
;
; Room above HTOP, after the header word:
;   u: la + 1 digits  the dividend shifted left by div_shift; ends as the
;                     remainder (shifted) in its low n digits
;   v: n digits       the divisor shifted left by div_shift
;   q: la - n + 1     the quotient
; 2 * la + 3 words in all, header included.

;; divisor_check — out: CF set and eax = NON_VALUE (badarith) for a zero
;; divisor; else CF clear, eax = mag_cmp(A, B) and SF, ZF from it.
;; Clobbers ebx ecx edx edi.
divisor_check:
  cmp dword [vb + VIEW.len], 0
  je .by_zero
  LOAD_AB
  call mag_cmp
  clc
  ret
.by_zero:
  mov dword [ebp + P_FVALUE], ATOM_badarith
  xor eax, eax
  stc
  ret

div_size:
  call divisor_check
  jc .done
  jns divide_size
  mov eax, TAG_SMALL                ; |A| < |B|: 0
  stc
.done:
  ret

rem_size:
  call divisor_check
  jc .done
  jns divide_size
  mov eax, [arg_a]                  ; |A| < |B|: A itself
  stc
.done:
  ret

divide_size:
  mov eax, [va + VIEW.len]
  lea eax, [2 * eax + 3]
  clc
  ret

div_compute:
  call divide
  mov eax, [va + VIEW.neg]
  xor eax, [vb + VIEW.neg]
  mov [res_neg], eax
  mov ecx, [div_m]
  inc ecx
  mov [res_len], ecx
  lea edi, [esi + 4]                ; the quotient down to its place
  push esi
  mov esi, [div_q]
  rep movsd                         ; (upward: the source is higher)
  pop esi
  ret

rem_compute:
  call divide
  mov eax, [va + VIEW.neg]
  mov [res_neg], eax
  mov eax, [div_n]
  mov [res_len], eax
  mov ebx, [div_u]                  ; undo the normalization shift
  mov edi, ebx
  mov ecx, [div_shift]
  jmp shr_bits

;; divide — |A| divided by |B| (|A| >= |B| > 0), into u, v, q above HTOP.
;; out: q[0..div_m], the remainder shifted left by div_shift in u[0..div_n - 1].
;; Clobbers eax ebx ecx edx edi.
divide:
  mov eax, [va + VIEW.len]
  mov ecx, [vb + VIEW.len]
  mov [div_n], ecx
  mov edx, eax
  sub edx, ecx
  mov [div_m], edx
  lea edi, [esi + 4]
  mov [div_u], edi
  lea edi, [edi + 4 * eax + 4]
  mov [div_v], edi
  lea edi, [edi + 4 * ecx]
  mov [div_q], edi
  cmp ecx, 1
  je short_division
  push esi
  push ebp

  ; 1. Normalize: shift both so that the divisor's top bit is set; then
  ;    each estimate of a quotient digit is at most 2 too large.
  mov ebx, [vb + VIEW.ptr]
  mov eax, [ebx + 4 * ecx - 4]
  bsr eax, eax
  mov ecx, 31
  sub ecx, eax
  mov [div_shift], ecx
  mov eax, [div_n]
  mov edi, [div_v]
  call shl_bits                     ; (no bits fall out of the divisor)
  mov ebx, [va + VIEW.ptr]
  mov eax, [va + VIEW.len]
  mov edi, [div_u]
  call shl_bits
  mov eax, [va + VIEW.len]
  mov [edi + 4 * eax], edx          ; u's extra top digit

  ; 2. One quotient digit for each j from m down to 0: divide
  ;    u[j..j+n] by v.
  mov eax, [div_m]
  mov [div_j], eax
.step:
  mov edi, [div_u]
  mov ecx, [div_j]
  lea edi, [edi + 4 * ecx]          ; edi = &u[j]
  mov ecx, [div_n]
  mov esi, [div_v]
  mov ebx, [esi + 4 * ecx - 4]      ; v[n-1], the divisor's top digit
  mov eax, [edi + 4 * ecx - 4]      ; u[j+n-1]
  mov edx, [edi + 4 * ecx]          ; u[j+n], at most v[n-1]
  ; 2a. Estimate q[j] from the top two digits of u and the top one of v.
  cmp edx, ebx
  jae .qhat_max                     ; (div would overflow)
  div ebx                           ; eax = qhat, edx = rhat
  jmp .refine
.qhat_max:                          ; u[j+n] = v[n-1]: qhat = 2^32 - 1 and
  mov edx, eax                      ; rhat = u[j+n-1] + v[n-1]
  mov eax, 0xffffffff
  add edx, ebx
  jc .multiply                      ; rhat >= 2^32: the test below cannot hold
.refine:
  ; 2b. While qhat * v[n-2] > rhat:u[j+n-2], qhat is too large:
  ;     qhat - 1, rhat + v[n-1] (and stop once rhat >= 2^32).
  mov [div_qhat], eax
  mov [div_rhat], edx
  mov eax, [esi + 4 * ecx - 8]      ; v[n-2]
  mul dword [div_qhat]
  cmp edx, [div_rhat]
  jb .estimated
  ja .too_large
  cmp eax, [edi + 4 * ecx - 8]      ; u[j+n-2]
  jbe .estimated
.too_large:
  mov eax, [div_qhat]
  dec eax
  mov edx, [div_rhat]
  add edx, ebx
  jnc .refine
  jmp .multiply
.estimated:
  mov eax, [div_qhat]
.multiply:
  ; 2c. u[j..j+n] -= qhat * v.
  mov ebx, eax                      ; qhat
  xor ebp, ebp                      ; the digit carried (product and borrow)
  push edi
.mulsub:
  mov eax, [esi]
  mul ebx
  add eax, ebp
  adc edx, 0
  sub [edi], eax
  adc edx, 0
  mov ebp, edx
  add esi, 4
  add edi, 4
  dec ecx
  jnz .mulsub
  sub [edi], ebp                    ; u[j+n]
  pop edi
  jnc .store
  ; 2d. It went below zero: qhat was one too large (rare).  Add v back.
  dec ebx
  mov esi, [div_v]
  mov ecx, [div_n]
  push edi
  clc
.add_back:                          ; lea, dec and mov keep CF
  mov eax, [esi]
  adc [edi], eax
  lea esi, [esi + 4]
  lea edi, [edi + 4]
  dec ecx
  jnz .add_back
  adc dword [edi], 0                ; the carry out cancels the borrow
  pop edi
.store:
  mov ecx, [div_j]
  mov eax, [div_q]
  mov [eax + 4 * ecx], ebx
  dec ecx
  mov [div_j], ecx
  jns .step
  pop ebp
  pop esi
  ret

;; short_division — divide for a one-digit divisor: q = A / d, u[0] = A mod d.
short_division:
  push esi
  mov dword [div_shift], 0
  mov ebx, [vb + VIEW.ptr]
  mov ebx, [ebx]                    ; the divisor
  mov esi, [va + VIEW.ptr]
  mov edi, [div_q]
  mov ecx, [va + VIEW.len]
  xor edx, edx
.digit:                             ; from the top; edx < divisor: no overflow
  mov eax, [esi + 4 * ecx - 4]
  div ebx
  mov [edi + 4 * ecx - 4], eax
  dec ecx
  jnz .digit
  mov eax, [div_u]
  mov [eax], edx
  pop esi
  ret

; --- band, bor, bxor

;; Two copies in two's complement, each one digit longer than the longer
;; operand (so that their top bit is the sign), and the header.
bitwise_size:
  mov eax, [va + VIEW.len]
  mov ecx, [vb + VIEW.len]
  cmp eax, ecx
  jae .longer
  mov eax, ecx
.longer:
  lea eax, [2 * eax + 3]
  clc
  ret

;; both_twos — va in two's complement at HTOP + 4, vb right after it (at
;; [bw_s]), [bw_n] digits each.  Clobbers eax ebx ecx edx edi.
both_twos:
  mov eax, [va + VIEW.len]
  mov ecx, [vb + VIEW.len]
  cmp eax, ecx
  jae .longer
  mov eax, ecx
.longer:
  inc eax
  mov [bw_n], eax
  lea edi, [esi + 4]
  mov ebx, [va + VIEW.ptr]
  mov ecx, [va + VIEW.len]
  mov edx, [va + VIEW.neg]
  call twos
  mov [bw_s], edi
  mov eax, [bw_n]
  mov ebx, [vb + VIEW.ptr]
  mov ecx, [vb + VIEW.len]
  mov edx, [vb + VIEW.neg]
  jmp twos

;; BITWISE name, instruction — digit by digit, then the sign the same way.
%macro BITWISE 2
%1_compute:
  call both_twos
  mov ecx, [bw_n]
  mov edx, [bw_s]
  lea edi, [esi + 4]
%%digit:
  mov eax, [edx]
  %2 [edi], eax
  add edx, 4
  add edi, 4
  dec ecx
  jnz %%digit
  mov eax, [va + VIEW.neg]
  %2 eax, [vb + VIEW.neg]
  mov [res_neg], eax
  jmp bitwise_finish
%endmacro

BITWISE band, and
BITWISE bor, or
BITWISE bxor, xor

;; bitwise_finish — a negative result is in two's complement: back to its
;; magnitude (~r + 1).
bitwise_finish:
  mov eax, [bw_n]
  mov [res_len], eax
  cmp dword [res_neg], 0
  je .done
  lea edi, [esi + 4]
  mov ebx, edi
  mov ecx, eax
  mov edx, 1
  jmp twos
.done:
  ret

; --- bsl and bsr

;; The effective direction and count, and the room: for a shift left the
;; operand's digits, the whole digits shifted in, one for the bits that
;; spill over and the header; for a shift right what is left, one for the
;; carry of rounding a negative number, and the header.
shift_size:
  cmp dword [va + VIEW.len], 0
  je .zero                          ; 0 shifted any way is 0
  mov eax, [vb + VIEW.neg]
  xor eax, [shift_dir]
  mov [shift_right], eax
  mov ecx, [vb + VIEW.len]
  test ecx, ecx
  jz .unchanged                     ; a shift by 0
  cmp ecx, 1
  ja .far                           ; a bignum count
  mov ecx, [vb + VIEW.ptr]
  mov ecx, [ecx]
  mov [shift_n], ecx
  test eax, eax
  jnz .right
  cmp ecx, BIG_MAX_BITS             ; left: the result has bitlen(A) + n bits
  ja .too_large
  mov edx, [va + VIEW.ptr]
  mov eax, [va + VIEW.len]
  bsr edx, [edx + 4 * eax - 4]
  shl eax, 5
  lea eax, [eax + edx - 31]         ; bitlen(A) = 32 * (len - 1) + bsr + 1
  add eax, ecx
  cmp eax, BIG_MAX_BITS
  ja .too_large
  shr ecx, 5
  mov eax, [va + VIEW.len]
  lea eax, [eax + ecx + 2]
  clc
  ret
.right:
  shr ecx, 5                        ; whole digits shifted out
  mov eax, [va + VIEW.len]
  sub eax, ecx
  jbe .gone
  add eax, 2
  clc
  ret
.far:
  cmp dword [shift_right], 0
  je .too_large
.gone:                              ; every bit shifted out: 0 or -1
  mov eax, TAG_SMALL
  cmp dword [va + VIEW.neg], 0
  je .result
  mov eax, (-1 << SMALL_SHIFT) | TAG_SMALL
.result:
  stc
  ret
.zero:
  mov eax, TAG_SMALL
  stc
  ret
.unchanged:
  mov eax, [arg_a]
  stc
  ret
.too_large:
  mov dword [ebp + P_FVALUE], ATOM_system_limit
  xor eax, eax
  stc
  ret

shift_compute:
  mov eax, [va + VIEW.neg]
  mov [res_neg], eax
  mov ecx, [shift_n]
  and ecx, 31                       ; cl = the bits
  mov edx, [shift_n]
  shr edx, 5                        ; edx = the whole digits
  cmp dword [shift_right], 0
  jne .right
  ; left: edx zero digits, then A << cl and the bits that spill over
  lea edi, [esi + 4]
  mov ebx, ecx
  mov ecx, edx
  xor eax, eax
  rep stosd
  mov ecx, ebx
  mov ebx, [va + VIEW.ptr]
  mov eax, [va + VIEW.len]
  call shl_bits
  mov eax, [va + VIEW.len]
  mov [edi + 4 * eax], edx
  mov ecx, [shift_n]
  shr ecx, 5
  lea eax, [eax + ecx + 1]
  mov [res_len], eax
  ret
.right:
  ; right: A's digits from edx up, >> cl, and a zero digit above them
  mov ebx, [va + VIEW.ptr]
  lea ebx, [ebx + 4 * edx]
  mov eax, [va + VIEW.len]
  sub eax, edx
  lea edi, [eax + 1]
  mov [res_len], edi
  lea edi, [esi + 4]
  mov dword [edi + 4 * eax], 0
  call shr_bits
  cmp dword [res_neg], 0
  je .done
  ; negative: rounding toward minus infinity adds 1 to the magnitude when
  ; a 1 bit was shifted out
  mov ebx, [va + VIEW.ptr]
  mov edx, [shift_n]
  shr edx, 5
  xor ecx, ecx
.whole:                             ; the digits shifted out whole
  cmp ecx, edx
  je .part
  cmp dword [ebx + 4 * ecx], 0
  jne .round
  inc ecx
  jmp .whole
.part:                              ; and the low bits of the next one
  mov ecx, [shift_n]
  and ecx, 31
  mov eax, 1
  shl eax, cl
  dec eax
  test [ebx + 4 * edx], eax
  jz .done
.round:
  lea edi, [esi + 4]
.increment:
  add dword [edi], 1
  lea edi, [edi + 4]
  jc .increment                     ; (the zero digit on top stops it)
.done:
  ret

; ===========================================================================
; Term order between integers.

;; xb_big_compare — in: eax, edx = integers, at least one a bignum.
;; out: eax < 0, = 0 or > 0 as the first is less than, equal to or greater
;; than the second.  Allocates nothing.  Clobbers ebx ecx edx edi.
;; A normalized bignum is farther from 0 than any small.
xb_big_compare:
  mov ecx, eax
  and ecx, TAG_IMMED1_MASK
  cmp ecx, TAG_SMALL
  je .small_first
  mov ecx, edx
  and ecx, TAG_IMMED1_MASK
  cmp ecx, TAG_SMALL
  je .small_second
  mov ebx, [eax - TAG_BOXED]        ; two bignums: headers
  mov ecx, [edx - TAG_BOXED]
  mov edi, ebx
  xor edi, ecx
  test edi, SIGN_BIT
  jnz .by_sign_of_first             ; signs differ
  push esi
  lea esi, [eax - TAG_BOXED]
  lea edi, [edx - TAG_BOXED]
  mov edx, ebx                      ; the first's header, for the sign
  shr ebx, HDR_ARITY_SHIFT
  shr ecx, HDR_ARITY_SHIFT
  cmp ebx, ecx
  jne .magnitudes_differ            ; more digits: larger magnitude
.digit:
  test ebx, ebx
  jz .equal
  mov ecx, [esi + 4 * ebx]
  cmp ecx, [edi + 4 * ebx]
  jne .magnitudes_differ
  dec ebx
  jmp .digit
.equal:
  pop esi
  xor eax, eax
  ret
.magnitudes_differ:                 ; flags of an unsigned compare
  pop esi
  mov eax, 1
  ja .signed
  mov eax, -1
.signed:                            ; both negative: the larger magnitude is less
  test edx, SIGN_BIT
  jz .done
  neg eax
.done:
  ret
.small_first:                       ; small vs bignum: the bignum's sign decides
  mov eax, [edx - TAG_BOXED]
  test eax, SIGN_BIT
  mov eax, -1
  jz .done
  mov eax, 1
  ret
.small_second:
  mov ebx, [eax - TAG_BOXED]
.by_sign_of_first:                  ; ebx = the first's header
  test ebx, SIGN_BIT
  mov eax, 1
  jz .done
  mov eax, -1
  ret

; ===========================================================================
; Decimal.

;; scratch — in: eax = words.  out: eax = a buffer of at least that many
;; words outside the heaps, the same one from call to call.  A larger need
;; replaces it (twice as large, so that growing needs leave behind at most
;; as much again; nothing is freed yet: docs/gc.md).  Clobbers ecx.
scratch:
  cmp eax, [scratch_words]
  jbe .have
  mov ecx, [scratch_words]
  shl ecx, 1
  cmp eax, ecx
  jae .size
  mov eax, ecx
.size:
  mov [scratch_words], eax
  shl eax, 2
  call xb_alloc
  mov [scratch_ptr], eax
  ret
.have:
  mov eax, [scratch_ptr]
  ret

;; xb_big_to_decimal — in: eax = a bignum.  out: edx = its magnitude in
;; base 10^9, least significant digit first, in a scratch buffer that the
;; next call reuses; ecx = how many digits; eax = 1 when it is negative.
;; Allocates nothing on the heap (so reports may print).  Clobbers ebx edi.
;; Repeated short division by 10^9 of a copy: quadratic, which is fine for
;; what a program prints.
xb_big_to_decimal:
  push esi
  push ebp
  mov ebx, [eax - TAG_BOXED]
  lea esi, [eax - TAG_BOXED + 4]
  mov eax, ebx
  and ebx, SIGN_BIT
  shr ebx, SIGN_SHIFT
  mov [dec_neg], ebx
  shr eax, HDR_ARITY_SHIFT
  mov [dec_len], eax
  ; the copy (len words), then the base-10^9 digits: fewer than
  ; 32 * len / log2(10^9) + 1 < 2 * len + 1
  lea eax, [eax + 2 * eax + 1]
  call scratch
  mov edi, eax
  mov ecx, [dec_len]
  rep movsd
  mov esi, eax                      ; esi = the copy
  mov [dec_out], edi                ; edi = where the next digit goes
  mov ebp, [dec_len]                ; the copy's length
  mov ebx, 1000000000
.digit:
  mov ecx, ebp
  xor edx, edx
.divide:                            ; the copy /= 10^9, from the top
  mov eax, [esi + 4 * ecx - 4]
  div ebx
  mov [esi + 4 * ecx - 4], eax
  dec ecx
  jnz .divide
  mov [edi], edx                    ; the remainder: the next digit
  add edi, 4
.strip:
  cmp dword [esi + 4 * ebp - 4], 0
  jne .digit
  dec ebp
  jnz .strip
  mov ecx, edi
  mov edx, [dec_out]
  sub ecx, edx
  shr ecx, 2
  mov eax, [dec_neg]
  pop ebp
  pop esi
  ret
