; runtime-asm/console.asm — writing characters to the console (stdout).
;
; xbeam:console_write(Chars) is what the console io server
; (runtime-erl/xbeam_console.erl) calls for every output request.  Chars is
; unicode chardata: a deep list of character codes and binaries (UTF-8).
; The console's encoding is latin1, as erl's standard_io is under
; -noshell: a character up to 255 is written as that byte, and a larger one
; as the text \x{HEX}, which is what erl writes.
%include "macros.inc"
extern xb_stack_grow_keep

global xb_console_write_1, xb_error_write_1, xb_bif_node_1
extern xb_xregs, xb_print_bytes, xb_print_flush, xb_print_to_stdout, xb_print_to_stderr, xb_raise_atom
extern xb_iolist_walk, xb_walk_int, xb_walk_bin, xb_walk_bad

section .text

;; xbeam:console_write(Chars) -> ok | error; xbeam:error_write(Chars), the
;; same to stderr (the runtime's logger writes there).
xb_error_write_1:
  call xb_print_to_stderr
  call write
  call xb_print_to_stdout
  ret
xb_console_write_1:
  call xb_print_to_stdout
write:
  mov eax, [xb_xregs]
  call chars
  call xb_print_flush
  mov eax, ATOM_ok
  cmp dword [xb_walk_bad], 0
  je .ret
  mov eax, ATOM_error
.ret:
  mov [xb_xregs], eax
  ret

;; chars — in: eax = chardata: written, through the one iolist walker
;; (binary.asm), which sets [xb_walk_bad] on anything else.
chars:
  mov dword [xb_walk_int], put_char
  mov dword [xb_walk_bin], put_binary
  mov dword [xb_walk_bad], 0
  jmp xb_iolist_walk

;; put_binary — in: eax = a heap binary: its bytes decoded as UTF-8.
put_binary:
  BINARY_BYTES ebx
  ; falls through

;; utf8 — in: ebx = bytes, ecx = how many: decoded and written.
;; clobbers eax ebx ecx edx.
utf8:
  test ecx, ecx
  jz .done
  movzx eax, byte [ebx]
  inc ebx
  dec ecx
  cmp eax, 0x80
  jb .char
  ; A lead byte: its count of continuation bytes and its value bits.
  xor edx, edx
  cmp eax, 0xe0
  jb .two
  cmp eax, 0xf0
  jb .three
  and eax, 0x07
  mov edx, 3
  jmp .more
.three:
  and eax, 0x0f
  mov edx, 2
  jmp .more
.two:
  and eax, 0x1f
  mov edx, 1
.more:
  test edx, edx
  jz .char
  test ecx, ecx
  jz .char
  shl eax, 6
  push edx
  movzx edx, byte [ebx]
  and edx, 0x3f
  or eax, edx
  pop edx
  inc ebx
  dec ecx
  dec edx
  jmp .more
.char:
  push ebx
  push ecx
  call put_char
  pop ecx
  pop ebx
  jmp utf8
.done:
  ret

;; put_char — in: eax = a character code.  clobbers eax ecx edx.
put_char:
  cmp eax, 255
  ja .escape
  test eax, eax
  js .invalid
  mov [one], al
  mov eax, one
  mov ecx, 1
  jmp xb_print_bytes
.escape:                            ; \x{HEX}
  push ebx
  mov ebx, eax
  mov eax, t_escape
  mov ecx, 3
  call xb_print_bytes
  mov ecx, 28                       ; the first non-zero hex digit, then the rest
.skip:
  mov eax, ebx
  shr eax, cl
  test eax, 0xf
  jnz .digits
  sub ecx, 4
  jnz .skip
.digits:
  mov eax, ebx
  shr eax, cl
  and eax, 0xf
  mov al, [hex_digits + eax]
  mov [one], al
  push ecx
  mov eax, one
  mov ecx, 1
  call xb_print_bytes
  pop ecx
  sub ecx, 4
  jns .digits
  mov byte [one], '}'
  mov eax, one
  mov ecx, 1
  call xb_print_bytes
  pop ebx
  ret
.invalid:
  mov dword [xb_walk_bad], 1
  ret

;; node/1 (guard BIF) — in: eax = a pid (or port or reference).
;; out: eax = the node: this one, nonode@nohost, but for another node's
;; reference; NON_VALUE (badarg) else.
xb_bif_node_1:
  mov ecx, eax
  and ecx, TAG_IMMED1_MASK
  cmp ecx, TAG_PID
  je .local
  cmp ecx, TAG_PORT
  je .local
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_BOXED
  jne .bad
  mov ecx, [eax - TAG_BOXED]
  cmp ecx, EXTERNAL_REF_HEADER
  je .external
  and ecx, HDR_SUBTAG_MASK
  cmp ecx, HDR_REF
  jne .bad
.local:
  mov eax, ATOM_nonode@nohost
  ret
.external:                          ; another node's reference
  mov eax, [eax - TAG_BOXED + 16]
  ret
.bad:
  mov dword [ebp + P_FVALUE], ATOM_badarg
  xor eax, eax
  ret

section .bss
one: resb 4

section .rodata
t_escape: db "\x{"
hex_digits: db "0123456789ABCDEF"
