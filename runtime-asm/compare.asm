; runtime-asm/compare.asm — term order and exact equality.
;
; Term order: number < atom < reference < fun < port < pid < tuple < map
; < [] < list < bitstring.  Integers compare by value (two smalls here, any
; other pair in bignum.asm: xb_big_compare), atoms by their text
; (xb_atom_names), tuples by size and then element by element, lists
; element by element.
; Neither fragment allocates or collects, so both may recurse on the stack.
%include "macros.inc"
extern xb_stack_grow_keep


global xb_compare, xb_eq_exact, xb_compare_exact
extern xb_atom_names, xb_atom_names_init, xb_static_atoms, xb_fatal, xb_big_compare, xb_fun_info
extern xb_bitstring_data

section .text

; REF_FIELD dst, ref, offset, default — the word at offset of another
; node's reference (its node at 16, creation at 20: docs/abi.md), or the
; default for one of this node's.
%macro REF_FIELD 4
  mov %1, %4
  cmp dword [%2 - TAG_BOXED], EXTERNAL_REF_HEADER
  jne %%this_node
  mov %1, [%2 - TAG_BOXED + %3]
%%this_node:
%endmacro

;; rank — in: eax = term; out: ecx = its class in term order.  Clobbers ecx.
rank:
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_LIST
  je .list
  cmp ecx, TAG_BOXED
  je .boxed
  mov ecx, eax
  and ecx, TAG_IMMED1_MASK
  cmp ecx, TAG_SMALL
  je .number
  cmp ecx, TAG_PID
  je .pid
  cmp ecx, TAG_PORT
  je .port
  cmp eax, NIL
  je .nil
  mov ecx, 1                        ; atom
  ret
.number: xor ecx, ecx
  ret
.pid:  mov ecx, 5
  ret
.port: mov ecx, 4
  ret
.nil:  mov ecx, 8
  ret
.list: mov ecx, 9
  ret
.boxed:
  mov ecx, [eax - TAG_BOXED]
  and ecx, HDR_SUBTAG_MASK
  cmp ecx, HDR_ARITYVAL
  je .tuple
  cmp ecx, HDR_POS_BIG
  je .number
  cmp ecx, HDR_NEG_BIG
  je .number
  cmp ecx, HDR_FLOAT
  je .number
  cmp ecx, HDR_REF
  je .ref
  cmp ecx, HDR_FUN
  je .fun
  cmp ecx, HDR_EXPORT
  je .fun
  cmp ecx, HDR_MAP
  je .map
  and ecx, ~((HDR_HEAP_BIN ^ HDR_REFC_BIN) | (HDR_HEAP_BITS ^ HDR_REFC_BIN))
  cmp ecx, HDR_REFC_BIN             ; any of the four bitstrings
  je .binary
  jmp unsupported
.binary: mov ecx, 10
  ret
.tuple: mov ecx, 6
  ret
.ref:  mov ecx, 2
  ret
.fun:  mov ecx, 3
  ret
.map:  mov ecx, 7
  ret

;; xb_compare_exact — xb_compare in the order of map keys: the same but
;; that an integer and a float are never equal: every integer comes before
;; every float (BEAM orders a map's keys so: #{2 => a, 1.0 => b} has the
;; keys [2, 1.0]), in the terms' parts too.  Nests: a map's keys compared
;; inside another comparison leave it as it was.
xb_compare_exact:
  push dword [cmp_exact]
  mov dword [cmp_exact], 1
  call xb_compare
  pop dword [cmp_exact]
  ret

;; xb_compare — in: eax, edx = terms.  out: eax < 0, = 0 or > 0 as the first
;; is less than, equal to or greater than the second.  Clobbers ebx ecx edx edi.
xb_compare:
  STACK_CHECK
  cmp eax, edx
  je .equal
  mov ebx, edx
  call rank
  mov edi, ecx                      ; rank of the first
  xchg eax, ebx
  call rank                         ; rank of the second; eax = second, ebx = first
  cmp edi, ecx
  jne .by_rank
  mov edx, eax
  mov eax, ebx                      ; eax = first, edx = second, same class
  cmp ecx, 0
  je .numbers
  cmp ecx, 1
  je .atoms
  cmp ecx, 6
  je .tuples
  cmp ecx, 9
  je .lists
  cmp ecx, 5
  je .pids
  cmp ecx, 4                        ; ports (list_to_port/1), by number as pids
  je .pids
  cmp ecx, 2
  je .refs
  cmp ecx, 7
  je .maps
  cmp ecx, 3
  je .funs
  cmp ecx, 10
  je .binaries
  jmp unsupported
.binaries:                          ; bit by bit; a prefix comes first
  push esi
  mov [cmp_second], edx
  call xb_bitstring_data            ; the first: esi = bytes
  mov [cmp_bits_a], ecx
  mov esi, edx
  mov eax, [cmp_second]
  call xb_bitstring_data            ; the second: edi = bytes
  mov [cmp_bits_b], ecx
  mov edi, edx
  mov ecx, [cmp_bits_a]
  cmp ecx, [cmp_bits_b]
  jbe .bin_min
  mov ecx, [cmp_bits_b]
.bin_min:
  mov [cmp_min], ecx
  shr ecx, 3
  cmp ecx, ecx                      ; ZF set for no bytes
  repe cmpsb
  je .bin_tail
  movzx eax, byte [esi - 1]
  movzx edx, byte [edi - 1]
  sub eax, edx
  pop esi
  ret
.bin_tail:                          ; the bits of a last, partial byte
  mov ecx, [cmp_min]
  and ecx, 7
  jz .bin_sizes
  movzx eax, byte [esi]
  movzx edx, byte [edi]
  neg ecx
  add ecx, 8
  shr eax, cl
  shr edx, cl
  sub eax, edx
  jz .bin_sizes
  pop esi
  ret
.bin_sizes:
  mov eax, [cmp_bits_a]
  sub eax, [cmp_bits_b]
  pop esi
  ret
.funs:                              ; local funs before export funs
  mov ecx, [eax - TAG_BOXED]
  and ecx, HDR_SUBTAG_MASK
  mov ebx, [edx - TAG_BOXED]
  and ebx, HDR_SUBTAG_MASK
  cmp ecx, ebx
  je .same_funs
  sub ecx, ebx                      ; HDR_FUN < HDR_EXPORT
  mov eax, ecx
  ret
.same_funs:
  cmp ecx, HDR_EXPORT
  je .exports
  ; Local funs: module (by text), old index, old uniq, the number of free
  ; variables, then the free variables.
  push eax
  push edx
  mov eax, [eax - TAG_BOXED + 4]
  UNTAG_SMALL eax
  lea eax, [eax + 2 * eax]
  mov edx, [edx - TAG_BOXED + 4]
  UNTAG_SMALL edx
  lea edx, [edx + 2 * edx]
  lea eax, [xb_fun_info + 8 * eax]  ; 6 words per entry (loader/build.ts)
  lea edx, [xb_fun_info + 8 * edx]
  push eax
  push edx
  mov eax, [eax]
  mov edx, [edx]
  call .atoms
  pop edx
  pop ebx
  test eax, eax
  jnz .funs_differ
  mov eax, [ebx + 4]                ; old index
  sub eax, [edx + 4]
  jnz .funs_differ
  mov eax, [ebx + 8]                ; old uniq
  sub eax, [edx + 8]
  jnz .funs_differ
  pop edx
  pop eax
  mov ecx, [eax - TAG_BOXED]
  cmp ecx, [edx - TAG_BOXED]
  je .fun_env
  mov eax, ecx                      ; fewer free variables first
  sub eax, [edx - TAG_BOXED]
  ret
.fun_env:                           ; the free variables, one by one
  shr ecx, HDR_ARITY_SHIFT
  mov ebx, 3                        ; words 4.. (after index, arity, creator)
  lea eax, [eax - TAG_BOXED]
  lea edx, [edx - TAG_BOXED]
  jmp .tuple_next
.funs_differ:
  add esp, 8
  ret
.exports:                           ; module, function, arity
  push eax
  push edx
  mov eax, [eax - TAG_BOXED + 4]
  mov edx, [edx - TAG_BOXED + 4]
  call .atoms
  test eax, eax
  jnz .funs_differ
  mov eax, [esp + 4]
  mov edx, [esp]
  mov eax, [eax - TAG_BOXED + 12]
  mov edx, [edx - TAG_BOXED + 12]
  call .atoms
  test eax, eax
  jnz .funs_differ
  pop edx
  pop eax
  mov eax, [eax - TAG_BOXED + 8]
  sub eax, [edx - TAG_BOXED + 8]    ; two smalls: the difference's sign
  ret
.pids:                              ; by number: the term words order them
  cmp eax, edx
  mov eax, -1
  jb .pids_done
  mov eax, 1
.pids_done:
  ret
.refs:                              ; node, creation, then the numbers
  REF_FIELD ebx, eax, 16, ATOM_nonode@nohost
  REF_FIELD ecx, edx, 16, ATOM_nonode@nohost
  cmp ebx, ecx
  je .ref_creations
  mov eax, ebx                      ; nodes by their names
  mov edx, ecx
  jmp .atoms
.ref_creations:                     ; this node's creation is 0
  REF_FIELD ebx, eax, 20, 0
  REF_FIELD ecx, edx, 20, 0
  cmp ebx, ecx
  jne .ref_differs
  mov ecx, 3                        ; the most significant number first
.ref_word:
  mov ebx, [eax - TAG_BOXED + 4 * ecx]
  cmp ebx, [edx - TAG_BOXED + 4 * ecx]
  jne .ref_differs
  dec ecx
  jnz .ref_word
  jmp .equal
.ref_differs:                       ; the words, unsigned
  mov eax, -1
  jb .ref_done
  mov eax, 1
.ref_done:
  ret
.maps:                              ; by size, then the keys in order (in map-key order:
                                    ; #{1 => a} < #{1.0 => a}), then the values
  mov ecx, [eax - TAG_BOXED + 4]
  cmp ecx, [edx - TAG_BOXED + 4]
  je .map_keys
  mov eax, ecx
  sub eax, [edx - TAG_BOXED + 4]
  ret
.map_keys:                          ; both maps' words after the size: keys, values
  push eax
  push edx
  mov eax, [eax - TAG_BOXED + 8]
  mov edx, [edx - TAG_BOXED + 8]
  call xb_compare_exact
  pop edx
  pop ebx
  test eax, eax
  jnz .map_done
  mov eax, ebx
  jmp .tuples                       ; the values: compared as a tuple's elements (from word 3)
.map_done:
  ret
.equal:
  xor eax, eax
  ret
.by_rank:
  mov eax, edi
  sub eax, ecx
  ret
.numbers:
  call is_float
  je .first_float
  xchg eax, edx
  call is_float
  xchg eax, edx
  jne .integers
  cmp dword [cmp_exact], 0          ; an integer and a float
  je .floats
  mov eax, -1
  ret
.first_float:
  xchg eax, edx
  call is_float
  xchg eax, edx
  je .floats                        ; two floats
  cmp dword [cmp_exact], 0          ; a float and an integer
  je .floats
  mov eax, 1
  ret
.integers:
  mov ecx, eax
  and ecx, edx
  and ecx, TAG_IMMED1_MASK
  cmp ecx, TAG_SMALL
  jne xb_big_compare                ; not both small
  cmp eax, edx                      ; (a subtraction could overflow)
  mov eax, -1
  jl .numbers_done
  mov eax, 1
.numbers_done:
  ret
.floats:                            ; at least one float: as numbers on the x87
  call big_float                    ; (a bignum of 3 digits or more: exactly)
  jnc .floats_done
  call x87_load                     ; (a bignum rounded to 64 bits: exact up
  mov eax, edx                      ; to 2^64)
  call x87_load
  fcomip st0, st1                   ; second against first
  fstp st0
  mov eax, 0
  je .floats_done
  mov eax, 1
  jb .floats_done                   ; the second is below the first
  mov eax, -1
.floats_done:
  ret
.atoms:
  shr eax, ATOM_SHIFT
  shr edx, ATOM_SHIFT
  ATOM_NAME eax, eax                ; -> dd length, then the bytes
  ATOM_NAME edx, edx
  push esi
  mov ecx, [eax]
  mov ebx, [edx]
  lea esi, [eax + 4]
  lea edi, [edx + 4]
  mov edx, ecx
  cmp edx, ebx
  jbe .atoms_min
  mov edx, ebx                      ; edx = the shorter length
.atoms_min:                         ; edx bytes to compare: 4 at a time
  cmp edx, 4
  jb .atoms_bytes
  mov eax, [esi]
  cmp eax, [edi]
  jne .atoms_word
  add esi, 4
  add edi, 4
  sub edx, 4
  jmp .atoms_min
.atoms_word:                        ; they differ in these 4: the first byte decides
  mov edx, [edi]
  bswap eax
  bswap edx
  cmp eax, edx
  sbb eax, eax                      ; -1 when below, else 0
  or eax, 1                         ; -1 or 1
  pop esi
  ret
.atoms_bytes:
  test edx, edx
  jz .atoms_prefix                  ; (with nothing left to compare the shorter comes first)
  mov al, [esi]
  cmp al, [edi]
  jne .atoms_byte
  inc esi
  inc edi
  dec edx
  jmp .atoms_bytes
.atoms_byte:
  sbb eax, eax                      ; -1 when below, else 0
  or eax, 1
  pop esi
  ret
.atoms_prefix:                      ; one is a prefix of the other: shorter first
  mov eax, ecx
  sub eax, ebx
  pop esi
  ret
.tuples:
  lea eax, [eax - TAG_BOXED]
  lea edx, [edx - TAG_BOXED]
  mov ecx, [eax]
  cmp ecx, [edx]
  je .tuple_elements
  mov eax, ecx                      ; the smaller tuple first: compare headers
  sub eax, [edx]                    ; (arity is in the high bits)
  ret
.tuple_elements:
  shr ecx, HDR_ARITY_SHIFT
  xor ebx, ebx
.tuple_next:
  cmp ebx, ecx
  jae .equal
  push eax
  push edx
  push ebx
  push ecx
  mov eax, [eax + 4 + 4 * ebx]
  mov edx, [edx + 4 + 4 * ebx]
  call xb_compare
  pop ecx
  pop ebx
  pop edx
  test eax, eax
  jnz .tuple_differs
  pop eax
  inc ebx
  jmp .tuple_next
.tuple_differs:
  add esp, 4
  ret
.lists:
  push eax
  push edx
  mov eax, [eax - TAG_LIST]
  mov edx, [edx - TAG_LIST]
  call xb_compare
  pop edx
  test eax, eax
  jnz .list_differs
  pop eax
  mov eax, [eax - TAG_LIST + 4]
  mov edx, [edx - TAG_LIST + 4]
  jmp xb_compare
.list_differs:
  add esp, 4
  ret

;; xb_eq_exact — in: eax, edx = terms.  out: ZF set when they are exactly
;; equal (=:=).  Clobbers ebx ecx edx edi; preserves eax.
xb_eq_exact:
  push eax
  call eq
  pop eax
  ret

;; eq — in: eax, edx; out: ZF.  Clobbers eax ebx ecx edx edi.
eq:
  STACK_CHECK
  cmp eax, edx
  je .yes
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  mov ebx, edx
  and ebx, TAG_PRIMARY_MASK
  cmp ecx, ebx
  jne .no
  cmp ecx, TAG_LIST
  je .lists
  cmp ecx, TAG_BOXED
  jne .no                           ; different immediates
  mov ecx, [eax - TAG_BOXED]
  PROCBIN_JUMP ecx, .procbin
  mov ecx, [edx - TAG_BOXED]
  PROCBIN_JUMP ecx, .procbin
  lea eax, [eax - TAG_BOXED]
  lea edx, [edx - TAG_BOXED]
  mov ecx, [eax]
  cmp ecx, [edx]
  jne .no                           ; different type or size
  cmp ecx, (2 << HDR_ARITY_SHIFT) | HDR_FLOAT
  je .floats
  mov ebx, ecx
  shr ecx, HDR_ARITY_SHIFT
  HOLDS_TERMS_JUMP ebx, .tuple      ; terms (tuple, fun, map): one by one
  xor ebx, ebx                      ; raw data: compare the words
.raw:
  cmp ebx, ecx
  jae .yes
  mov edi, [eax + 4 + 4 * ebx]
  cmp edi, [edx + 4 + 4 * ebx]
  jne .no
  inc ebx
  jmp .raw
.tuple:
  xor ebx, ebx
.element:
  cmp ebx, ecx
  jae .yes
  push eax
  push edx
  push ebx
  push ecx
  mov eax, [eax + 4 + 4 * ebx]
  mov edx, [edx + 4 + 4 * ebx]
  call eq
  pop ecx
  pop ebx
  pop edx
  pop eax
  jne .no
  inc ebx
  jmp .element
.lists:
  push eax
  push edx
  mov eax, [eax - TAG_LIST]
  mov edx, [edx - TAG_LIST]
  call eq
  pop edx
  pop eax
  jne .no
  mov eax, [eax - TAG_LIST + 4]
  mov edx, [edx - TAG_LIST + 4]
  jmp eq
.procbin:                           ; a ProcBin and a bitstring of any kind:
  push esi                          ; the bits, as the term order has them
  call xb_compare                   ; (else: not equal)
  pop esi
  test eax, eax
  ret
.floats:                            ; as doubles: 0.0 =:= -0.0 in OTP 25
  movsd xmm0, [eax + 4]
  ucomisd xmm0, [edx + 4]           ; ZF set when equal (floats are never NaN)
  jne .no
.yes:
  xor ecx, ecx                      ; sets ZF
  ret
.no:
  or ecx, 1                         ; clears ZF
  ret

;; is_float — in: eax; out: ZF set when it is a float.  Clobbers ecx.
is_float:
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_BOXED
  jne .done
  mov ecx, [eax - TAG_BOXED]
  and ecx, HDR_SUBTAG_MASK
  cmp ecx, HDR_FLOAT
.done:
  ret

;; big_float — a bignum of 3 digits or more (at least 2^64) against a
;; float, exactly, as BEAM compares them.  in: eax, edx = the two numbers
;; (one a float).  out: CF clear and eax = <0, 0, >0 (first against
;; second) when one is such a bignum; else CF set, eax and edx kept.
;; Clobbers ebx ecx.
big_float:
  push edi
  push esi
  mov esi, eax                      ; esi = the bignum, edi = the float, ebx = 1 or -1
  mov edi, edx                      ;   (-1: the operands were swapped)
  mov ebx, 1
  call .is_long_big
  je .ordered
  xchg esi, edi
  neg ebx
  call .is_long_big
  je .ordered
  pop esi
  pop edi
  stc
  ret
.is_long_big:                       ; ZF: esi is a bignum of 3 digits or more
  mov ecx, esi
  and ecx, TAG_IMMED1_MASK
  cmp ecx, TAG_SMALL
  je .no
  mov ecx, [esi - TAG_BOXED]
  and ecx, HDR_SUBTAG_MASK & ~(HDR_POS_BIG ^ HDR_NEG_BIG)
  cmp ecx, HDR_POS_BIG
  jne .no
  mov ecx, [esi - TAG_BOXED]
  shr ecx, HDR_ARITY_SHIFT
  cmp ecx, 3
  jb .no
  cmp ecx, ecx
  ret
.no:
  or ecx, 1                         ; (not zero: ZF clear)
  ret
.ordered:
  push ebx
  ; Signs first: the bignum's, and the float's sign bit (a zero counts as
  ; positive: it is below every positive bignum, above every negative one).
  mov ecx, [esi - TAG_BOXED]
  and ecx, HDR_SUBTAG_MASK
  mov eax, 1                        ; eax = the bignum's sign
  cmp ecx, HDR_NEG_BIG
  jne .big_sign
  mov eax, -1
.big_sign:
  mov edx, [edi - TAG_BOXED + 8]    ; the float's high word
  mov ecx, edx
  and ecx, 0x7fffffff
  or ecx, [edi - TAG_BOXED + 4]
  jz .sign_decides                  ; a zero float
  mov ecx, 1
  test edx, edx
  jns .float_sign
  mov ecx, -1
.float_sign:
  cmp eax, ecx
  jne .sign_decides
  ; Same sign: compare magnitudes, then give it the sign.
  push eax
  call .magnitudes                  ; eax = |big| against |float|
  pop ecx
  imul eax, ecx
  jmp .result
.sign_decides:                      ; eax = the bignum's sign: its side
.result:
  pop ebx
  imul eax, ebx                     ; first against second
  pop esi
  pop edi
  clc
  ret
;; |bignum esi| against |float edi|: eax = -1, 0 or 1.  Clobbers ebx ecx edx.
.magnitudes:
  mov edx, [edi - TAG_BOXED + 8]
  shr edx, 20
  and edx, 0x7ff                    ; the biased exponent
  cmp edx, 1023 + 64
  jb .big_larger                    ; |float| < 2^64 <= |bignum|
  ; |float| = M * 2^s, M the 53-bit significand, s = exponent - 52 >= 12:
  ; its digits are M << (s mod 32) (three of them) from digit s div 32 up.
  lea ecx, [edx - 1023 - 52]        ; s
  mov eax, [edi - TAG_BOXED + 4]    ; M, low word
  mov edx, [edi - TAG_BOXED + 8]
  and edx, 0x000fffff
  or edx, 0x00100000                ; M, high word (the hidden bit)
  mov [bf_digits], eax
  mov [bf_digits + 4], edx
  mov dword [bf_digits + 8], 0
  mov ebx, ecx
  and ecx, 31
  jz .shifted
  mov eax, [bf_digits + 4]          ; 96-bit shift left by ecx (1..31)
  shld [bf_digits + 8], eax, cl
  mov eax, [bf_digits]
  shld [bf_digits + 4], eax, cl
  shl dword [bf_digits], cl
.shifted:
  shr ebx, 5                        ; q: the digit index of bf_digits[0]
  mov ecx, 3                        ; the float's digit count: q + its top nonzero + 1
.top:
  cmp dword [bf_digits + 4 * ecx - 4], 0
  jne .counted
  dec ecx
  jmp .top
.counted:
  add ecx, ebx                      ; ecx = the float's digit count
  mov eax, [esi - TAG_BOXED]
  shr eax, HDR_ARITY_SHIFT          ; the bignum's
  cmp eax, ecx
  ja .big_larger
  jb .float_larger
.digit:                             ; same count: from the top digit down
  dec ecx
  js .same
  mov eax, ecx
  sub eax, ebx                      ; the float's digit ecx: bf_digits[ecx - q] or 0
  cmp eax, 2
  ja .zero
  mov edx, [bf_digits + 4 * eax]
  jmp .have
.zero:
  xor edx, edx
.have:
  cmp [esi - TAG_BOXED + 4 + 4 * ecx], edx
  ja .big_larger
  jb .float_larger
  jmp .digit
.same:
  xor eax, eax
  ret
.big_larger:
  mov eax, 1
  ret
.float_larger:
  mov eax, -1
  ret

;; x87_load — in: eax = a number (small, bignum or float); out: pushed on
;; the x87 stack.  Clobbers ebx ecx.
x87_load:
  mov ecx, eax
  and ecx, TAG_IMMED1_MASK
  cmp ecx, TAG_SMALL
  je .small
  mov ecx, [eax - TAG_BOXED]
  and ecx, HDR_SUBTAG_MASK
  cmp ecx, HDR_FLOAT
  je .float
  ; A bignum: digits from the most significant, st0 = st0 * 2^32 + digit.
  push ecx
  mov ecx, [eax - TAG_BOXED]
  shr ecx, HDR_ARITY_SHIFT
  fldz
  push dword 0
  push dword 0
.digit:
  fld dword [two_32]
  fmulp st1, st0
  mov ebx, [eax - TAG_BOXED + 4 * ecx]
  mov [esp], ebx
  fild qword [esp]                  ; the digit, unsigned (high word 0)
  faddp st1, st0
  dec ecx
  jnz .digit
  add esp, 8
  pop ecx
  cmp ecx, HDR_NEG_BIG
  jne .big_done
  fchs
.big_done:
  ret
.small:
  push eax
  sar dword [esp], SMALL_SHIFT
  fild dword [esp]
  add esp, 4
  ret
.float:
  fld qword [eax - TAG_BOXED + 4]
  ret

unsupported:
  mov eax, msg_unsupported
  mov edx, msg_unsupported_len
  jmp xb_fatal

section .bss
cmp_exact:  resd 1                  ; 1 inside xb_compare_exact
cmp_second: resd 1                  ; two bitstrings being compared
cmp_bits_a: resd 1
cmp_bits_b: resd 1
cmp_min:    resd 1
bf_digits:  resd 3                  ; big_float: a float's significand, shifted

section .rodata
two_32: dd 0x4f800000                ; 2^32 as a single float
msg_unsupported: db "xbeam: comparing this kind of term is not supported yet", 10
msg_unsupported_len equ $ - msg_unsupported

section .text
global xb_erl_min_2, xb_erl_max_2
extern xb_xregs

;; erlang:min/2 and max/2: the first when they compare equal.
xb_erl_min_2:
  mov eax, [xb_xregs]
  mov edx, [xb_xregs + 4]
  call xb_compare
  test eax, eax
  jle .first
  jmp second
.first:
  ret
xb_erl_max_2:
  mov eax, [xb_xregs]
  mov edx, [xb_xregs + 4]
  call xb_compare
  test eax, eax
  jge xb_erl_min_2.first
second:
  mov eax, [xb_xregs + 4]
  mov [xb_xregs], eax
  ret

;; erts_internal:cmp_term(A, B) -> -1 | 0 | 1: the exact term order (an
;; integer and a float are never equal), as a function BIF.
global xb_erts_cmp_term_2
xb_erts_cmp_term_2:
  mov eax, [xb_xregs]
  mov edx, [xb_xregs + 4]
  call xb_compare_exact
  test eax, eax
  mov eax, (0 << SMALL_SHIFT) | TAG_SMALL
  jz .done
  mov eax, (1 << SMALL_SHIFT) | TAG_SMALL
  jg .done
  mov eax, (-1 << SMALL_SHIFT) | TAG_SMALL
.done:
  mov [xb_xregs], eax
  ret
