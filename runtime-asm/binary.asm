; runtime-asm/binary.asm — binaries: the little there is so far.
;
; A heap binary is {header(HEAP_BIN, words), byte size, bytes padded with
; zeros} (docs/abi.md).  Sub-binaries, reference-counted binaries and bit
; syntax come with the data issue.
%include "macros.inc"

global xb_bif_byte_5f_size_1, xb_bif_bit_5f_size_1

section .text

;; byte_size/1 and bit_size/1 (guard BIFs): in: eax; out: eax, or
;; NON_VALUE with badarg.
xb_bif_byte_5f_size_1:
  call bytes
  jc badarg
  TAG_SMALL_INT eax
  ret

xb_bif_bit_5f_size_1:
  call bytes
  jc badarg
  shl eax, 3
  cmp eax, MAX_SMALL
  ja .big
  TAG_SMALL_INT eax
  ret
.big:                               ; (a heap binary of 2^24 bytes or more)
  jmp badarg

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
  jne .no
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
