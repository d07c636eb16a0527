; runtime-asm/convert.asm — BIFs that build or take apart terms.
;
; Function convention (called by call_ext or apply): arguments in x
; registers, result in x0.  Guard convention (bif1): eax = argument,
; ecx = live x registers; out: eax = result, or NON_VALUE with the reason in
; P_FVALUE.  Every BIF that allocates checks for room first, with its
; arguments still in x registers (the collector moves them), and reads them
; again after.
%include "macros.inc"

global xb_erl_integer_to_list_1, xb_erl_integer_to_list_2
global xb_erl_list_to_integer_1, xb_erl_list_to_integer_2
global xb_erl_atom_to_list_1, xb_erl_tuple_to_list_1, xb_erl_list_to_tuple_1
global xb_erl_setelement_3, xb_erl_make_tuple_2
global xb_bif_is_5f_integer_1, xb_bif_is_5f_atom_1, xb_bif_is_5f_list_1, xb_bif_is_5f_tuple_1
global xb_bif_is_5f_function_1, xb_bif_is_5f_boolean_1, xb_bif_is_5f_pid_1, xb_bif_is_5f_number_1
global xb_bif_is_5f_binary_1, xb_bif_is_5f_reference_1, xb_bif_is_5f_port_1, xb_bif_is_5f_map_1
global xb_bif_is_5f_float_1, xb_bif_is_5f_function_2, xb_bif_size_1, xb_bif_plus_1
extern xb_xregs, xb_gc, xb_raise_atom, xb_atom_names, xb_atom_names_init, xb_static_atoms, xb_list_length

section .bss
digits: resb 40                     ; integer_to_list's digits, last first
ndigits: resd 1
base: resd 1

section .text

badarg:
  mov eax, ATOM_badarg
  jmp xb_raise_atom



; ---------------------------------------------------------------------------
; Integers and text.

;; SET_BASE — [base] from x1, which must be an integer from 2 to 36.
%macro SET_BASE 0
  mov eax, [xb_xregs + 4]
  NOT_SMALL_JUMP eax, badarg
  sar eax, SMALL_SHIFT
  cmp eax, 2
  jl badarg
  cmp eax, 36
  jg badarg
  mov [base], eax
%endmacro

;; integer_to_list/1 and /2 — in base 2..36, upper-case digits, as BEAM.
xb_erl_integer_to_list_1:
  mov dword [base], 10
  jmp integer_to_list
xb_erl_integer_to_list_2:
  SET_BASE
integer_to_list:
  mov eax, [xb_xregs]
  NOT_SMALL_JUMP eax, big_to_list
  sar eax, SMALL_SHIFT
  mov ebx, eax                      ; keep the sign
  test eax, eax
  jns .positive
  neg eax
.positive:
  xor ecx, ecx
.digit:
  xor edx, edx
  div dword [base]
  movzx edx, byte [digit_chars + edx]
  mov [digits + ecx], dl
  inc ecx
  test eax, eax
  jnz .digit
  test ebx, ebx
  jns .counted
  mov byte [digits + ecx], '-'
  inc ecx
.counted:
  mov [ndigits], ecx
  lea eax, [2 * ecx]
  mov ecx, 1
  ENSURE_HEAP
  ; Build the list from its end: the last digit was computed first.
  mov edx, NIL
  xor ecx, ecx
.cell:
  cmp ecx, [ndigits]
  jae .done
  movzx eax, byte [digits + ecx]
  TAG_SMALL_INT eax
  CONS eax
  inc ecx
  jmp .cell
.done:
  mov [xb_xregs], edx
  ret

;; big_to_list — integer_to_list of a bignum (x0) in [base].
;; The magnitude is copied to scratch space above the room reserved for the
;; result's cells and divided by the base again and again; each remainder is
;; the next digit from the right, and is consed onto the front.  Room: two
;; words per character, at most 32 characters per digit (base 2), plus the
;; sign, plus the copy.
big_to_list:
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_BOXED
  jne badarg
  mov ecx, [eax - TAG_BOXED]
  mov edx, ecx
  and edx, HDR_SUBTAG_MASK & ~(HDR_POS_BIG ^ HDR_NEG_BIG)
  cmp edx, HDR_POS_BIG
  jne badarg
  shr ecx, HDR_ARITY_SHIFT          ; digits
  mov [big_digits], ecx
  mov eax, ecx
  shl eax, 6                        ; 2 words x 32 characters per digit
  add eax, 2                        ; the sign's cell
  mov [cells_words], eax
  add eax, ecx                      ; the copy
  mov ecx, 1
  ENSURE_HEAP
  ; The copy goes above the cells' room.
  mov eax, [xb_xregs]
  mov ecx, [big_digits]
  mov edi, [cells_words]
  lea edi, [esi + 4 * edi]
  mov [scratch], edi
  xor edx, edx
.copy:
  mov ebx, [eax - TAG_BOXED + 4 + 4 * edx]
  mov [edi + 4 * edx], ebx
  inc edx
  cmp edx, ecx
  jb .copy
  mov edx, NIL                      ; the list so far
.digit:
  ; Divide the copy (ecx digits, most significant last) by the base.
  push edx
  xor edx, edx
  mov ebx, ecx
.divide:
  dec ebx
  mov eax, [edi + 4 * ebx]
  div dword [base]
  mov [edi + 4 * ebx], eax
  test ebx, ebx
  jnz .divide
  movzx eax, byte [digit_chars + edx]
  pop edx
  TAG_SMALL_INT eax
  CONS eax
.trim:                              ; drop leading zero digits
  cmp dword [edi + 4 * ecx - 4], 0
  jne .digit
  dec ecx
  jnz .trim
  mov eax, [xb_xregs]               ; negative: a '-' in front
  mov eax, [eax - TAG_BOXED]
  and eax, HDR_POS_BIG ^ HDR_NEG_BIG
  jz .done
  CONS ('-' << SMALL_SHIFT) | TAG_SMALL
.done:
  mov [xb_xregs], edx
  ret

;; list_to_integer/1 and /2 — an optional sign, then digits of the base.
xb_erl_list_to_integer_1:
  mov dword [base], 10
  jmp list_to_integer
xb_erl_list_to_integer_2:
  SET_BASE
list_to_integer:
  ; 1. Check the text and count its digits.
  mov ebx, [xb_xregs]
  xor edi, edi                      ; digits
  mov dword [negative], 0
  call .char
  cmp eax, '-'
  je .minus
  cmp eax, '+'
  jne .first_digit
  jmp .signed
.minus:
  mov dword [negative], 1
.signed:
  mov ebx, [ebx - TAG_LIST + 4]
  call .char
.first_digit:
  call .value                       ; at least one digit
.count:
  inc edi
  mov ebx, [ebx - TAG_LIST + 4]
  cmp ebx, NIL
  je .counted
  call .char
  call .value
  jmp .count
.counted:
  ; 2. Room for the value: a header and 32-bit digits, at most 6 bits (base
  ;    36) per character.
  mov [text_digits], edi
  mov eax, edi
  imul eax, 6
  shr eax, 5
  add eax, 3
  mov ecx, 2
  ENSURE_HEAP
  ; 3. value = value * base + digit, over 32-bit digits at [esi + 4].
  mov dword [esi + 4], 0
  mov dword [big_digits], 1
  mov ebx, [xb_xregs]
  call .char
  cmp eax, '0'
  jae .accumulate                   ; no sign: this is the first digit
  mov ebx, [ebx - TAG_LIST + 4]
  call .char
.accumulate:
  call .value
  push ebx
  mov ebx, eax                      ; the carry: the digit
  xor ecx, ecx
.multiply:
  mov eax, [esi + 4 + 4 * ecx]
  mul dword [base]
  add eax, ebx
  adc edx, 0
  mov [esi + 4 + 4 * ecx], eax
  mov ebx, edx
  inc ecx
  cmp ecx, [big_digits]
  jb .multiply
  test ebx, ebx
  jz .no_carry
  mov [esi + 4 + 4 * ecx], ebx
  inc dword [big_digits]
.no_carry:
  pop ebx
  mov ebx, [ebx - TAG_LIST + 4]
  cmp ebx, NIL
  je .normalize
  call .char
  jmp .accumulate
  ; 4. A small integer when it fits, else a bignum at esi.
.normalize:
  mov ecx, [big_digits]
  cmp ecx, 1
  jne .bignum
  mov eax, [esi + 4]
  cmp dword [negative], 0
  jne .negative_small
  cmp eax, MAX_SMALL
  ja .bignum
  TAG_SMALL_INT eax
  mov [xb_xregs], eax
  ret
.negative_small:
  cmp eax, -MIN_SMALL
  ja .bignum
  neg eax
  TAG_SMALL_INT eax
  mov [xb_xregs], eax
  ret
.bignum:
  mov eax, ecx
  shl eax, HDR_ARITY_SHIFT
  or eax, HDR_POS_BIG
  cmp dword [negative], 0
  je .positive_big
  or eax, HDR_NEG_BIG
.positive_big:
  mov [esi], eax
  lea eax, [esi + TAG_BOXED]
  lea esi, [esi + 4 * ecx + 4]
  mov [xb_xregs], eax
  ret
;; .char — eax = the character at ebx (a cons cell), or badarg.  (A plain
;; call: it neither collects nor raises with anything on the stack but its
;; return address, and badarg resets the stack.)
.char:
  mov eax, ebx
  and eax, TAG_PRIMARY_MASK
  cmp eax, TAG_LIST
  jne .not_list
  mov eax, [ebx - TAG_LIST]
  mov edx, eax
  and edx, TAG_IMMED1_MASK
  cmp edx, TAG_SMALL
  jne .not_list
  sar eax, SMALL_SHIFT
  ret
.not_list:
  add esp, 4
  jmp badarg
;; .value — eax = the digit value of character eax in the base, or badarg.
.value:
  cmp eax, '0'
  jb .not_list
  cmp eax, '9'
  jbe .decimal
  or eax, 0x20                      ; lower case
  cmp eax, 'a'
  jb .not_list
  cmp eax, 'z'
  ja .not_list
  sub eax, 'a' - 10
  jmp .check
.decimal:
  sub eax, '0'
.check:
  cmp eax, [base]
  jae .not_list
  ret

;; atom_to_list/1 — the code points of the atom's (UTF-8) text.
xb_erl_atom_to_list_1:
  mov eax, [xb_xregs]
  mov ecx, eax
  and ecx, TAG_IMMED2_MASK
  cmp ecx, TAG_ATOM
  jne badarg
  shr eax, ATOM_SHIFT
  ATOM_NAME eax, eax
  mov eax, [eax]                    ; at most one cell per byte
  shl eax, 1
  mov ecx, 1
  ENSURE_HEAP
  mov eax, [xb_xregs]
  shr eax, ATOM_SHIFT
  ATOM_NAME ebx, eax
  mov ecx, [ebx]                    ; bytes left
  add ebx, 4
  mov dword [xb_xregs], NIL         ; the result when the text is empty
  test ecx, ecx
  jz .done
  lea eax, [esi + TAG_LIST]         ; the first cell
  mov [xb_xregs], eax
.char:
  movzx eax, byte [ebx]
  inc ebx
  dec ecx
  cmp eax, 0x80
  jb .store
  ; A UTF-8 sequence: 110xxxxx, 1110xxxx or 11110xxx, then 10xxxxxx bytes
  ; (the atom table holds valid UTF-8).
  mov edx, 1
  and eax, 0x1f
  cmp byte [ebx - 1], 0xe0
  jb .more
  mov edx, 2
  and eax, 0x0f
  cmp byte [ebx - 1], 0xf0
  jb .more
  mov edx, 3
  and eax, 0x07
.more:
  shl eax, 6
  movzx edi, byte [ebx]
  and edi, 0x3f
  or eax, edi
  inc ebx
  dec ecx
  dec edx
  jnz .more
.store:
  TAG_SMALL_INT eax
  mov [esi], eax
  lea eax, [esi + 8 + TAG_LIST]
  mov [esi + 4], eax
  add esi, 8
  test ecx, ecx
  jnz .char
  mov dword [esi - 4], NIL          ; the last cell's tail
.done:
  ret

; ---------------------------------------------------------------------------
; Tuples.

;; tuple_to_list/1
xb_erl_tuple_to_list_1:
  mov eax, [xb_xregs]
  call is_tuple
  jne badarg
  mov eax, [eax - TAG_BOXED]
  shr eax, HDR_ARITY_SHIFT
  shl eax, 1
  mov ecx, 1
  ENSURE_HEAP
  mov eax, [xb_xregs]
  mov ecx, [eax - TAG_BOXED]
  shr ecx, HDR_ARITY_SHIFT
  mov edx, NIL
.cell:                              ; from the last element back
  test ecx, ecx
  jz .done
  mov ebx, [eax - TAG_BOXED + 4 * ecx]
  CONS ebx
  dec ecx
  jmp .cell
.done:
  mov [xb_xregs], edx
  ret

;; list_to_tuple/1
xb_erl_list_to_tuple_1:
  mov eax, [xb_xregs]
  call xb_list_length
  jc badarg
  cmp ecx, 1 << 24                  ; BEAM's largest tuple: 2^24 - 1 elements
  jae badarg
  mov [tuple_size], ecx
  lea eax, [ecx + 1]
  mov ecx, 1
  ENSURE_HEAP
  mov ecx, [tuple_size]
  mov eax, ecx
  shl eax, HDR_ARITY_SHIFT
  mov [esi], eax
  mov eax, [xb_xregs]
  xor edx, edx
.element:
  cmp eax, NIL
  je .built
  mov ebx, [eax - TAG_LIST]
  mov [esi + 4 + 4 * edx], ebx
  inc edx
  mov eax, [eax - TAG_LIST + 4]
  jmp .element
.built:
  lea eax, [esi + TAG_BOXED]
  lea esi, [esi + 4 * ecx + 4]
  mov [xb_xregs], eax
  ret

;; setelement/3 — a copy of the tuple with element Index replaced.
xb_erl_setelement_3:
  mov eax, [xb_xregs + 4]
  call is_tuple
  jne badarg
  mov edx, [xb_xregs]
  NOT_SMALL_JUMP edx, badarg
  sar edx, SMALL_SHIFT
  cmp edx, 1
  jl badarg
  mov ecx, [eax - TAG_BOXED]
  shr ecx, HDR_ARITY_SHIFT
  cmp edx, ecx
  jg badarg
  lea eax, [ecx + 1]
  mov ecx, 3
  ENSURE_HEAP
  mov eax, [xb_xregs + 4]
  mov ecx, [eax - TAG_BOXED]
  shr ecx, HDR_ARITY_SHIFT
  xor edx, edx
.copy:                              ; header and elements
  mov ebx, [eax - TAG_BOXED + 4 * edx]
  mov [esi + 4 * edx], ebx
  inc edx
  cmp edx, ecx
  jbe .copy
  mov edx, [xb_xregs]
  sar edx, SMALL_SHIFT
  mov ebx, [xb_xregs + 8]
  mov [esi + 4 * edx], ebx
  lea eax, [esi + TAG_BOXED]
  lea esi, [esi + 4 * ecx + 4]
  mov [xb_xregs], eax
  ret

;; make_tuple/2 — a tuple of Arity copies of the value.
xb_erl_make_tuple_2:
  mov eax, [xb_xregs]
  NOT_SMALL_JUMP eax, badarg
  sar eax, SMALL_SHIFT
  test eax, eax
  js badarg
  cmp eax, 1 << 24
  jae badarg
  mov [tuple_size], eax
  inc eax
  mov ecx, 2
  ENSURE_HEAP
  mov ecx, [tuple_size]
  mov eax, ecx
  shl eax, HDR_ARITY_SHIFT
  mov [esi], eax
  mov ebx, [xb_xregs + 4]
  xor edx, edx
.fill:
  cmp edx, ecx
  jae .built
  mov [esi + 4 + 4 * edx], ebx
  inc edx
  jmp .fill
.built:
  lea eax, [esi + TAG_BOXED]
  lea esi, [esi + 4 * ecx + 4]
  mov [xb_xregs], eax
  ret

;; is_tuple — in: eax; out: ZF set when it is a tuple.  Clobbers ecx.
is_tuple:
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_BOXED
  jne .done
  mov ecx, [eax - TAG_BOXED]
  and ecx, HDR_SUBTAG_MASK
  cmp ecx, HDR_ARITYVAL
.done:
  ret

; ---------------------------------------------------------------------------
; Type tests as values (bif1 in a body): true or false.

%macro BOOLEAN_RESULT 0
  mov eax, ATOM_false
  jne %%no
  mov eax, ATOM_true
%%no:
  ret
%endmacro

xb_bif_is_5f_integer_1:
  NOT_INTEGER_JUMP eax, .no
  mov eax, ATOM_true
  ret
.no:
  mov eax, ATOM_false
  ret

xb_bif_is_5f_atom_1:
  and eax, TAG_IMMED2_MASK
  cmp eax, TAG_ATOM
  BOOLEAN_RESULT

xb_bif_is_5f_list_1:
  cmp eax, NIL
  je .yes
  and eax, TAG_PRIMARY_MASK
  cmp eax, TAG_LIST
  BOOLEAN_RESULT
.yes:
  mov eax, ATOM_true
  ret

xb_bif_is_5f_tuple_1:
  call is_tuple
  BOOLEAN_RESULT

xb_bif_is_5f_function_1:
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_BOXED
  jne .no
  mov ecx, [eax - TAG_BOXED]
  and ecx, HDR_SUBTAG_MASK & ~(HDR_FUN ^ HDR_EXPORT) ; a fun or an export
  cmp ecx, HDR_FUN
  BOOLEAN_RESULT
.no:
  mov eax, ATOM_false
  ret

xb_bif_is_5f_pid_1:
  and eax, TAG_IMMED1_MASK
  cmp eax, TAG_PID
  BOOLEAN_RESULT

;; is_number/1: an integer or a float.
xb_bif_is_5f_number_1:
  NOT_INTEGER_JUMP eax, .not_integer
  mov eax, ATOM_true
  ret
.not_integer:
  jmp xb_bif_is_5f_float_1

xb_bif_is_5f_boolean_1:
  cmp eax, ATOM_true
  je .yes
  cmp eax, ATOM_false
  BOOLEAN_RESULT
.yes:
  mov eax, ATOM_true
  ret

;; The subtag of a boxed term — in: eax; out: ecx = the header's subtag,
;; or -1 for an immediate or a list.
boxed_subtag:
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_BOXED
  jne .not_boxed
  mov ecx, [eax - TAG_BOXED]
  and ecx, HDR_SUBTAG_MASK
  ret
.not_boxed:
  mov ecx, -1
  ret

%macro SUBTAG_TEST 2                ; symbol, subtag
%1:
  call boxed_subtag
  cmp ecx, %2
  BOOLEAN_RESULT
%endmacro

;; is_binary/1 and is_bitstring/1 (binaries, and bitstrings of a size that
;; is no whole number of bytes).
global xb_bif_is_5f_bitstring_1
xb_bif_is_5f_binary_1:              ; HEAP_BIN or REFC_BIN
  call boxed_subtag
  and ecx, ~(HDR_HEAP_BIN ^ HDR_REFC_BIN)
  cmp ecx, HDR_REFC_BIN
  BOOLEAN_RESULT
xb_bif_is_5f_bitstring_1:           ; and HEAP_BITS, REFC_BITS
  call boxed_subtag
  and ecx, ~((HDR_HEAP_BIN ^ HDR_REFC_BIN) | (HDR_HEAP_BITS ^ HDR_REFC_BIN))
  cmp ecx, HDR_REFC_BIN
  BOOLEAN_RESULT
SUBTAG_TEST xb_bif_is_5f_reference_1, HDR_REF
SUBTAG_TEST xb_bif_is_5f_map_1, HDR_MAP
SUBTAG_TEST xb_bif_is_5f_float_1, HDR_FLOAT

xb_bif_is_5f_port_1:
  and eax, TAG_IMMED1_MASK
  cmp eax, TAG_PORT
  BOOLEAN_RESULT

;; is_function(F, Arity): badarg unless Arity is a non-negative integer; a
;; bignum arity is no fun's.
xb_bif_is_5f_function_2:
  mov ecx, edx
  and ecx, TAG_IMMED1_MASK
  cmp ecx, TAG_SMALL
  jne .big_arity
  test edx, edx
  js .badarg
  call boxed_subtag
  cmp ecx, HDR_FUN
  je .fun
  cmp ecx, HDR_EXPORT
  jne .false
.fun:                               ; both keep small(arity) in word 2
  cmp edx, [eax - TAG_BOXED + 8]
  BOOLEAN_RESULT
.big_arity:
  xchg eax, edx
  call boxed_subtag
  cmp ecx, HDR_POS_BIG
  jne .badarg
.false:
  mov eax, ATOM_false
  ret
.badarg:
  mov dword [ebp + P_FVALUE], ATOM_badarg
  xor eax, eax
  ret

;; size/1: a tuple's arity or a binary's byte size.
xb_bif_size_1:
  call boxed_subtag
  cmp ecx, HDR_ARITYVAL
  je .tuple
  cmp ecx, HDR_HEAP_BITS
  je .bits
  cmp ecx, HDR_REFC_BITS
  je .bits
  cmp ecx, HDR_REFC_BIN
  je .bytes
  cmp ecx, HDR_HEAP_BIN
  jne xb_bif_is_5f_function_2.badarg
.bytes:
  mov eax, [eax - TAG_BOXED + 4]
  TAG_SMALL_INT eax
  ret
.bits:                              ; a bitstring: its whole bytes
  mov eax, [eax - TAG_BOXED + 4]
  shr eax, 3
  TAG_SMALL_INT eax
  ret
.tuple:
  mov eax, [eax - TAG_BOXED]
  shr eax, HDR_ARITY_SHIFT
  TAG_SMALL_INT eax
  ret

;; +/1: a number is itself.  (round/1 and the like: float.asm.)
xb_bif_plus_1:
  NOT_INTEGER_JUMP eax, .not_integer
  ret
.not_integer:
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_BOXED
  jne .badarith
  mov ecx, [eax - TAG_BOXED]
  and ecx, HDR_SUBTAG_MASK
  cmp ecx, HDR_FLOAT
  jne .badarith
  ret
.badarith:
  mov dword [ebp + P_FVALUE], ATOM_badarith
  xor eax, eax
  ret

section .bss
tuple_size: resd 1
big_digits: resd 1
text_digits: resd 1
negative: resd 1
cells_words: resd 1
scratch: resd 1

section .rodata
digit_chars: db "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
