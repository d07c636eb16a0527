; runtime-asm/atoms.asm — the atom table at run time, and list_to_atom.
;
; The loader gives each of the image's atoms an index and builds, at build
; time, the tables of their text and printed form (xb_atom_names_init,
; xb_atom_print_init) and a hash table by text (FNV-1a over UTF-8, open
; addressing; slots hold index + 1).  list_to_atom/1 adds atoms after them,
; up to DYNAMIC_ATOMS more, into xb_atom_names and xb_atom_print (at the
; same indices: the lower part stays unused) and a second hash table of the
; same kind.  ATOM_NAME and ATOM_PRINT (macros.inc) pick the table by
; index.  Each text is `dd length` then the bytes.
%include "macros.inc"

DYNAMIC_HASH  equ 2 * DYNAMIC_ATOMS     ; slots, at most half full

global xb_atom_names, xb_atom_print
global xb_erl_list_to_atom_1, xb_erl_list_to_existing_atom_1
extern xb_static_atoms, xb_atom_names_init, xb_atom_print_init, xb_atom_hash, xb_atom_hash_mask
extern xb_xregs, xb_alloc, xb_raise_atom

section .bss
alignb 4
xb_atom_names: resd MAX_ATOMS            ; atoms made at run time, after the image's
xb_atom_print: resd MAX_ATOMS
dyn_hash:      resd DYNAMIC_HASH
dyn_count:     resd 1
text_len:      resd 1
text:          resb 4 * 255              ; the UTF-8 of at most 255 characters
chars:         resd 255                  ; ... and the code points
nchars:        resd 1

section .text

badarg:
  mov eax, ATOM_badarg
  jmp xb_raise_atom

system_limit:
  mov eax, ATOM_system_limit
  jmp xb_raise_atom

;; from_list — x0, a list of at most 255 code points, into `chars` and, as
;; UTF-8, into `text`.  Raises badarg.  Clobbers eax ebx ecx edx edi.
from_list:
  mov ebx, [xb_xregs]
  xor ecx, ecx                          ; characters
  mov edi, text                         ; where the next UTF-8 byte goes
.next:
  cmp ebx, NIL
  je .done
  mov eax, ebx
  and eax, TAG_PRIMARY_MASK
  cmp eax, TAG_LIST
  jne .bad
  cmp ecx, 255
  jae .too_long
  mov eax, [ebx - TAG_LIST]
  mov edx, eax
  and edx, TAG_IMMED1_MASK
  cmp edx, TAG_SMALL
  jne .bad
  sar eax, SMALL_SHIFT
  cmp eax, 0x10ffff
  ja .bad
  test eax, eax
  js .bad
  mov [chars + 4 * ecx], eax
  inc ecx
  call put_utf8
  mov ebx, [ebx - TAG_LIST + 4]
  jmp .next
.done:
  mov [nchars], ecx
  sub edi, text
  mov [text_len], edi
  ret
.bad:
  add esp, 4
  jmp badarg
.too_long:
  add esp, 4
  jmp system_limit

;; hash — FNV-1a of `text`.  out: eax.  Clobbers ecx edx.
hash:
  mov eax, 0x811c9dc5
  xor ecx, ecx
.byte:
  cmp ecx, [text_len]
  jae .done
  movzx edx, byte [text + ecx]
  xor eax, edx
  imul eax, eax, 0x01000193
  inc ecx
  jmp .byte
.done:
  ret

;; same_text — does the text at [eax] (dd length, bytes) equal `text`?
;; out: ZF set when it does.  Clobbers ecx edx.
same_text:
  mov ecx, [eax]
  cmp ecx, [text_len]
  jne .done
.byte:
  test ecx, ecx
  jz .done                              ; ZF set: equal
  dec ecx
  mov dl, [eax + 4 + ecx]
  cmp dl, [text + ecx]
  je .byte
.done:
  ret

;; find — the atom whose text is `text`.  out: eax = its index, or -1;
;; ebx = the free dynamic slot where it would go.  Clobbers ecx edx edi.
find:
  call hash
  mov edi, eax                          ; the hash, kept for the second table
  mov ebx, eax
.static:
  and ebx, [xb_atom_hash_mask]
  mov eax, [xb_atom_hash + 4 * ebx]
  test eax, eax
  jz .dynamic
  dec eax
  push eax
  mov eax, [xb_atom_names_init + 4 * eax]
  call same_text
  pop eax
  je .found
  inc ebx
  jmp .static
.dynamic:
  mov ebx, edi
.probe:
  and ebx, DYNAMIC_HASH - 1
  mov eax, [dyn_hash + 4 * ebx]
  test eax, eax
  jz .missing
  dec eax
  push eax
  mov eax, [xb_atom_names + 4 * eax]
  call same_text
  pop eax
  je .found
  inc ebx
  jmp .probe
.missing:
  mov eax, -1
.found:
  ret

;; erlang:list_to_existing_atom/1
xb_erl_list_to_existing_atom_1:
  CALLA from_list
  call find
  test eax, eax
  js badarg
  jmp result

;; erlang:list_to_atom/1 — finds the atom, or makes it.
xb_erl_list_to_atom_1:
  CALLA from_list
  call find
  test eax, eax
  jns result
  cmp dword [dyn_count], DYNAMIC_ATOMS
  jae system_limit
  mov [new_slot], ebx
  ; The text: dd length, then the bytes, in memory that is never freed.
  mov eax, [text_len]
  add eax, 4
  call xb_alloc
  mov edi, eax
  mov ecx, [text_len]
  mov [edi], ecx
.copy:
  dec ecx
  js .copied
  mov dl, [text + ecx]
  mov [edi + 4 + ecx], dl
  jmp .copy
.copied:
  mov [new_text], edi
  call print_form                       ; eax = the printed form
  mov ecx, [xb_static_atoms]
  add ecx, [dyn_count]                  ; the new atom's index
  mov [xb_atom_print + 4 * ecx], eax
  mov eax, [new_text]
  mov [xb_atom_names + 4 * ecx], eax
  inc dword [dyn_count]
  mov ebx, [new_slot]
  lea eax, [ecx + 1]
  mov [dyn_hash + 4 * ebx], eax
  mov eax, ecx
result:
  shl eax, ATOM_SHIFT
  or eax, TAG_ATOM
  mov [xb_xregs], eax
  ret

;; print_form — how erlang:display/1 writes the atom in `chars`: bare when
;; it starts with a lower-case latin-1 letter and goes on with letters,
;; digits and _, else quoted with ' and \\ escaped and newline as \\n
;; (emitter/atoms.ts says the same at build time).  out: eax = the form
;; (dd length, bytes).  Clobbers ebx ecx edx edi.
print_form:
  mov ecx, [nchars]
  test ecx, ecx
  jz .quoted
  mov eax, [chars]
  call is_lower
  jne .quoted
  mov ebx, 1
.rest:
  cmp ebx, ecx
  jae .bare
  mov eax, [chars + 4 * ebx]
  call is_name_char
  jne .quoted
  inc ebx
  jmp .rest
.bare:                                  ; the text itself
  mov eax, [new_text]
  ret
.quoted:
  ; At most 2 bytes per escaped character, 4 per other, and two quotes.
  mov eax, [nchars]
  lea eax, [4 * eax + 4 + 2]
  call xb_alloc
  mov ebx, eax
  lea edi, [ebx + 4]                    ; the next byte to write
  mov byte [edi], "'"
  inc edi
  xor ecx, ecx
.char:
  cmp ecx, [nchars]
  jae .close
  mov eax, [chars + 4 * ecx]
  inc ecx
  cmp eax, "'"
  je .escape
  cmp eax, 0x5c                         ; backslash
  je .escape
  cmp eax, 10
  jne .utf8
  mov byte [edi], 0x5c
  mov byte [edi + 1], "n"
  add edi, 2
  jmp .char
.escape:
  mov byte [edi], 0x5c
  mov [edi + 1], al
  add edi, 2
  jmp .char
.utf8:
  call put_utf8
  jmp .char
.close:
  mov byte [edi], "'"
  inc edi
  mov eax, edi
  sub eax, ebx
  sub eax, 4
  mov [ebx], eax
  mov eax, ebx
  ret

;; put_utf8 — writes code point eax as UTF-8 at [edi], advancing edi.
;; Clobbers edx.
put_utf8:
  cmp eax, 0x80
  jae .two
  mov [edi], al
  inc edi
  ret
.two:
  cmp eax, 0x800
  jae .three
  mov edx, eax
  shr edx, 6
  or dl, 0xc0
  mov [edi], dl
  and al, 0x3f
  or al, 0x80
  mov [edi + 1], al
  add edi, 2
  ret
.three:
  cmp eax, 0x10000
  jae .four
  mov edx, eax
  shr edx, 12
  or dl, 0xe0
  mov [edi], dl
  mov edx, eax
  shr edx, 6
  and dl, 0x3f
  or dl, 0x80
  mov [edi + 1], dl
  and al, 0x3f
  or al, 0x80
  mov [edi + 2], al
  add edi, 3
  ret
.four:
  mov edx, eax
  shr edx, 18
  or dl, 0xf0
  mov [edi], dl
  mov edx, eax
  shr edx, 12
  and dl, 0x3f
  or dl, 0x80
  mov [edi + 1], dl
  mov edx, eax
  shr edx, 6
  and dl, 0x3f
  or dl, 0x80
  mov [edi + 2], dl
  and al, 0x3f
  or al, 0x80
  mov [edi + 3], al
  add edi, 4
  ret

;; is_lower — ZF set when code point eax starts a bare atom.
is_lower:
  cmp eax, "a"
  jb .no
  cmp eax, "z"
  jbe .yes
  cmp eax, 0xdf
  jb .no
  cmp eax, 0xff
  ja .no
  cmp eax, 0xf7
  je .no
.yes:
  cmp eax, eax
  ret
.no:
  test esp, esp                         ; esp is never 0: ZF clear
  ret

;; is_name_char — ZF set when code point eax may follow in a bare atom.
is_name_char:
  call is_lower
  je .done
  cmp eax, "A"
  jb .digit
  cmp eax, "Z"
  jbe .yes
  cmp eax, "_"
  je .done
  cmp eax, 0xc0
  jb .no
  cmp eax, 0xde
  ja .no
  cmp eax, 0xd7
  je .no
.yes:
  cmp eax, eax
.done:
  ret
.digit:
  cmp eax, "0"
  jb .no
  cmp eax, "9"
  jbe .yes
.no:
  test esp, esp
  ret

section .bss
new_slot: resd 1
new_text: resd 1
