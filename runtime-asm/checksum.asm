; runtime-asm/checksum.asm — erlang:crc32/1,2 and erlang:adler32/1,2 over
; iodata, as zlib computes them (CRC-32 of ISO 3309 with the reflected
; polynomial 0xEDB88320; Adler-32 of RFC 1950).
;
; In:  terms in x registers (the function-call convention): x0 = Data, or
;      x0 = the previous checksum (0..2^32-1) and x1 = Data; they stay
;      there until the result is written.
; Out: x0 = the checksum, an integer 0..2^32-1 (a bignum from 2^27).
;      badarg when Data is not iodata or the previous checksum is not an
;      integer in range.  The bytes are walked by binary.asm's one iolist
;      walker; crc32_combine/3 and adler32_combine/3 are Erlang
;      (runtime-erl/xbeam_bifs.erl).
%include "macros.inc"

global xb_erl_crc32_1, xb_erl_crc32_2, xb_erl_adler32_1, xb_erl_adler32_2
extern xb_xregs, xb_raise_atom, xb_big_from_int64, xb_u32_arg
extern xb_iolist_walk, xb_walk_int, xb_walk_bin, xb_walk_bad

ADLER_BASE equ 65521

section .rodata
align 4
;; The byte-at-a-time table, computed by the assembler: entry n is n's
;; remainder after eight reflected shifts.
crc_table:
%assign n 0
%rep 256
  %assign c n
  %rep 8
    %if c & 1
      %assign c (c >> 1) ^ 0xEDB88320
    %else
      %assign c c >> 1
    %endif
  %endrep
  dd c
  %assign n n + 1
%endrep

section .bss
state: resd 1                       ; the running CRC (inverted) or Adler pair

section .text

xb_erl_crc32_1:
  xor eax, eax
  mov edx, [xb_xregs]
  jmp crc32
xb_erl_crc32_2:
  mov eax, [xb_xregs]
  CALLA xb_u32_arg
  mov edx, [xb_xregs + 4]
crc32:                              ; eax = the previous CRC, edx = Data
  not eax
  mov [state], eax
  mov dword [xb_walk_int], crc_byte
  mov dword [xb_walk_bin], crc_binary
  call walk
  not eax
  jmp result

crc_byte:
  cmp eax, 255
  ja bad
  mov ecx, [state]
  xor eax, ecx
  movzx eax, al
  shr ecx, 8
  xor ecx, [crc_table + 4 * eax]
  mov [state], ecx
  ret
crc_binary:
  BINARY_BYTES ebx
  mov edx, [state]
  jecxz .done
.byte:
  movzx eax, byte [ebx]
  inc ebx
  xor al, dl
  shr edx, 8
  xor edx, [crc_table + 4 * eax]
  dec ecx
  jnz .byte
.done:
  mov [state], edx
  ret

xb_erl_adler32_1:
  mov eax, 1
  mov edx, [xb_xregs]
  jmp adler32
xb_erl_adler32_2:
  mov eax, [xb_xregs]
  CALLA xb_u32_arg
  mov edx, [xb_xregs + 4]
adler32:                            ; eax = the previous sum (B << 16 | A), edx = Data
  mov [state], eax
  mov dword [xb_walk_int], adler_byte
  mov dword [xb_walk_bin], adler_binary
  call walk
  jmp result

adler_byte:
  cmp eax, 255
  ja bad
  mov ecx, 1
  push eax
  mov ebx, esp
  call adler_bytes
  pop eax
  ret
adler_binary:
  BINARY_BYTES ebx
;; adler_bytes — in: ebx = bytes, ecx = how many; updates [state].  Each
;; step keeps both sums below 65521, so a compare and a subtract stand for
;; the remainder (A < 65521 + 255, B < 2 * 65521 before reducing).
adler_bytes:
  push esi
  push edi
  movzx esi, word [state]           ; A
  movzx edi, word [state + 2]       ; B
  jecxz .done
.byte:
  movzx eax, byte [ebx]
  inc ebx
  add esi, eax
  cmp esi, ADLER_BASE
  jb .a
  sub esi, ADLER_BASE
.a:
  add edi, esi
  cmp edi, ADLER_BASE
  jb .b
  sub edi, ADLER_BASE
.b:
  dec ecx
  jnz .byte
.done:
  shl edi, 16
  or esi, edi
  mov [state], esi
  pop edi
  pop esi
  ret

bad:
  mov dword [xb_walk_bad], 1
  ret

;; walk — the bytes of edx through the callbacks set.  out: eax = [state];
;; raises badarg when edx is not iodata (the x registers keep the BIF's
;; arguments for the stack trace).
walk:
  mov dword [xb_walk_bad], 0
  mov eax, edx
  call xb_iolist_walk
  cmp dword [xb_walk_bad], 0
  jne .badarg
  mov eax, [state]
  ret
.badarg:
  add esp, 4                        ; raise from the BIF's own frame
  mov eax, ATOM_badarg
  jmp xb_raise_atom

;; result — x0 = eax as an unsigned integer.
result:
  xor edx, edx
  xor ecx, ecx
  CALLA xb_big_from_int64
  mov [xb_xregs], eax
  ret
