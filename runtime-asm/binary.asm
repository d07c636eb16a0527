; runtime-asm/binary.asm — byte_size/bit_size, iolists, binary_to_list
; and list_to_binary.
;
; A heap binary is {header(HEAP_BIN, words), byte size, bytes padded with
; zeros}; one of more than ON_HEAP_BIN_LIMIT bytes is reference-counted
; (refc.asm; docs/abi.md).  The bit syntax is bits.asm's.
%include "macros.inc"

global xb_bif_byte_5f_size_1, xb_bif_bit_5f_size_1, xb_erl_iolist_size_1, xb_iolist_size
global xb_iolist_walk, xb_walk_int, xb_walk_bin, xb_walk_bad
global xb_erl_binary_to_list_1, xb_erl_binary_to_list_3
extern xb_bin_vheap_full, xb_bin_words, xb_bin_new
extern xb_xregs, xb_gc, xb_raise_atom, xb_stack_grow_keep, xb_bitstring_data, xb_big_from_int64

section .text

;; byte_size/1 and bit_size/1 (guard BIFs) of any bitstring (byte_size
;; rounds up): in: eax, ecx = live; out: eax, or NON_VALUE with badarg.
xb_bif_byte_5f_size_1:
  push ecx
  call xb_bitstring_data
  jc .no
  lea eax, [ecx + 7]
  shr eax, 3
  pop ecx
  cmp eax, MAX_SMALL
  ja xb_bif_bit_5f_size_1.big       ; 2^27 bytes or more: a bignum
  TAG_SMALL_INT eax
  ret
.no:
  pop ecx
  jmp badarg

xb_bif_bit_5f_size_1:
  push ecx
  call xb_bitstring_data
  jc xb_bif_byte_5f_size_1.no
  mov eax, ecx
  pop ecx
  cmp eax, MAX_SMALL
  ja .big
  TAG_SMALL_INT eax
  ret
.big:                               ; 2^27 bits or more: a bignum
  xor edx, edx
  jmp xb_big_from_int64

;; bytes — in: eax = a term.  out: eax = its byte size and CF clear when it
;; is a binary; CF set otherwise.  clobbers ecx.
bytes:
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_BOXED
  jne .no
  mov ecx, [eax - TAG_BOXED]
  and ecx, HDR_SUBTAG_MASK
  cmp ecx, HDR_HEAP_BIN
  je .binary
  cmp ecx, HDR_REFC_BIN
  jne .no
.binary:                            ; (either way, the byte size at +4)
  mov eax, [eax - TAG_BOXED + 4]
  clc
  ret
.no:
  stc
  ret

badarg:
  mov dword [ebp + P_FVALUE], ATOM_badarg
  xor eax, eax
  ret

;; xb_iolist_walk — in: eax = a deep list of integers and heap binaries,
;; [xb_walk_int] and [xb_walk_bin] = what to do with each: called with
;; eax = the integer (untagged) or the binary; they may clobber eax ebx ecx
;; edx and keep esi and edi as they want them.  Anything else in the list
;; sets [xb_walk_bad].  The one walker of iolist_size, list_to_binary and
;; the console.
xb_iolist_walk:
  STACK_CHECK
.again:
  cmp eax, NIL
  je .done
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_LIST
  je .list
  cmp ecx, TAG_BOXED
  jne .bad
  mov ecx, [eax - TAG_BOXED]
  and ecx, HDR_SUBTAG_MASK
  cmp ecx, HDR_HEAP_BIN
  je .binary
  cmp ecx, HDR_REFC_BIN
  jne .bad
.binary:
  jmp [xb_walk_bin]
.list:
  push eax
  mov eax, [eax - TAG_LIST]
  NOT_SMALL_JUMP eax, .nested
  sar eax, SMALL_SHIFT
  call [xb_walk_int]
  jmp .tail
.nested:
  call xb_iolist_walk
.tail:
  pop eax
  mov eax, [eax - TAG_LIST + 4]
  jmp .again
.bad:
  mov dword [xb_walk_bad], 1
.done:
  ret

;; xb_iolist_size — in: eax = an iolist.  out: eax = its bytes, CF set when
;; it is not one; eax = -1 (CF clear) when it has 2^29 bytes or more, more
;; than a binary can hold here (system_limit).  The whole count, 64 bits
;; (an iolist may repeat a part), is in io_count/io_over.  clobbers ebx ecx edx.
MAX_BINARY_BYTES equ 1 << 29
xb_iolist_size:
  mov dword [xb_walk_int], count_byte
  mov dword [xb_walk_bin], count_binary
  mov dword [xb_walk_bad], 0
  mov dword [io_count], 0
  mov dword [io_over], 0
  call xb_iolist_walk
  mov eax, [io_count]
  shr eax, 5                        ; a reduction per 32 bytes walked (and
  sub [ebp + P_FCALLS], eax         ; list_to_binary's copy): long walks yield
  mov eax, [io_count]
  cmp dword [io_over], 0
  jne .over
  cmp eax, MAX_BINARY_BYTES
  jb .counted
.over:
  mov eax, -1
.counted:
  cmp dword [xb_walk_bad], 1        ; 0 - 1 borrows: CF = good, so complement it
  cmc
  ret
count_byte:
  cmp eax, 255
  ja .bad
  add dword [io_count], 1
  adc dword [io_over], 0            ; (4 GB or more: the high word)
  ret
.bad:
  mov dword [xb_walk_bad], 1
  ret
count_binary:
  mov eax, [eax - TAG_BOXED + 4]
  add [io_count], eax
  adc dword [io_over], 0
  ret

;; erlang:iolist_size(IoList): bytes (0..255) and binaries, nested.
xb_erl_iolist_size_1:
  mov eax, [xb_xregs]
  call xb_iolist_size
  jc raise_badarg
  mov eax, [io_count]               ; the whole count (2^27 bytes or more: a bignum)
  mov edx, [io_over]
  xor ecx, ecx
  CALLA xb_big_from_int64
  mov [xb_xregs], eax
  ret

;; erlang:binary_to_list(Bin) and binary_to_list(Bin, Start, Stop) (1-based,
;; inclusive): the bytes as a list.
xb_erl_binary_to_list_1:
  mov eax, [xb_xregs]
  call bytes
  jc raise_badarg
  mov [b_from], dword 0
  mov [b_to], eax
  jmp to_list
xb_erl_binary_to_list_3:
  mov eax, [xb_xregs]
  call bytes
  jc raise_badarg
  mov ecx, [xb_xregs + 4]
  mov edx, [xb_xregs + 8]
  mov ebx, ecx
  and ebx, edx
  and ebx, TAG_IMMED1_MASK
  cmp ebx, TAG_SMALL
  jne raise_badarg
  sar ecx, SMALL_SHIFT
  sar edx, SMALL_SHIFT
  cmp ecx, 1
  jl raise_badarg
  cmp edx, eax
  jg raise_badarg
  cmp ecx, edx
  jg raise_badarg
  dec ecx
  mov [b_from], ecx
  mov [b_to], edx
to_list:                            ; bytes [b_from, b_to) of x0
  mov eax, [b_to]
  sub eax, [b_from]
  mov ecx, eax                      ; a reduction per 32 bytes
  shr ecx, 5
  sub [ebp + P_FCALLS], ecx
  shl eax, 1
  mov ecx, 1
  ENSURE_HEAP
  mov eax, [xb_xregs]
  call xb_bitstring_data
  mov ebx, edx
  mov ecx, [b_to]
  mov edx, NIL
.byte:
  cmp ecx, [b_from]
  jbe .done
  dec ecx
  movzx eax, byte [ebx + ecx]
  TAG_SMALL_INT eax
  CONS eax
  jmp .byte
.done:
  mov [xb_xregs], edx
  ret

;; xbeam:iolist_to_bin(IoData, Force) — a binary of the bytes of an iolist
;; (or a copy of a binary), for runtime-erl/xbeam_trap.erl, which is
;; erlang:list_to_binary/1, iolist_to_binary/1 and the like: the binary, or
;; the atom badarg or system_limit; or, unless Force is true, `long` when
;; LONG_IOLIST bytes or more were walked (the caller then walks it in
;; Erlang, where the scheduler may switch it out, as BEAM's C code yields,
;; and raises what there is to raise after that).
LONG_IOLIST equ 1 << 16
global xb_iolist_to_bin_2
xb_iolist_to_bin_2:
  mov eax, [xb_xregs]
  call xb_iolist_size
  setc bl
  cmp dword [xb_xregs + 4], ATOM_true
  je .forced
  cmp dword [io_over], 0
  jne .long
  cmp dword [io_count], LONG_IOLIST
  jae .long
.forced:
  test bl, bl
  jnz .badarg
  cmp eax, -1
  je .limit
  mov [b_to], eax
  mov ecx, eax
  call xb_bin_words
  mov edx, [b_to]
  mov ecx, 1
  ENSURE_HEAP_BIN
  mov ecx, [b_to]
  call xb_bin_new
  mov [b_result], eax
  mov edi, edx
  mov dword [xb_walk_int], put_byte
  mov dword [xb_walk_bin], put_binary
  mov eax, [xb_xregs]
  call xb_iolist_walk
  mov eax, [b_result]
  mov [xb_xregs], eax
  ret
.long:
  mov dword [xb_xregs], ATOM_long
  ret
.badarg:
  mov dword [xb_xregs], ATOM_badarg
  ret
.limit:
  mov dword [xb_xregs], ATOM_system_limit
  ret
put_byte:                           ; at edi
  mov [edi], al
  inc edi
  ret
put_binary:
  call xb_bitstring_data
  shr ecx, 3
  push esi
  mov esi, edx
  rep movsb
  pop esi
  ret

raise_badarg:
  mov eax, ATOM_badarg
  jmp xb_raise_atom
raise_system_limit:
  mov eax, ATOM_system_limit
  jmp xb_raise_atom

section .bss
b_result: resd 1
b_from: resd 1
b_to:   resd 1
io_count: resd 1
io_over:  resd 1
xb_walk_int: resd 1
xb_walk_bin: resd 1
xb_walk_bad: resd 1

section .text
global xb_bin_is_7bit_1

;; xbeam:bin_is_7bit(Binary) — true when each of its bytes is below 128,
;; four at a time (the caller, unicode:bin_is_7bit/1 and the encoders'
;; fast path in runtime-erl/xbeam_unicode.erl, checks that it is one).
xb_bin_is_7bit_1:
  mov eax, [xb_xregs]
  call xb_bitstring_data            ; edx = the bytes, ecx = bits
  jc .no
  shr ecx, 3
.words:
  cmp ecx, 4
  jb .bytes
  test dword [edx], 0x80808080
  jnz .no
  add edx, 4
  sub ecx, 4
  jmp .words
.bytes:
  test ecx, ecx
  jz .yes
  test byte [edx], 0x80
  jnz .no
  inc edx
  dec ecx
  jmp .bytes
.yes:
  mov eax, ATOM_true
  mov [xb_xregs], eax
  ret
.no:
  mov eax, ATOM_false
  mov [xb_xregs], eax
  ret
