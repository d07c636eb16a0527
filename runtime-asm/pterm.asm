; runtime-asm/pterm.asm — persistent_term: terms stored outside every heap.
;
; Each entry is a block of its own (xb_alloc): the link to the next entry,
; the block's size, and a copy of {Key, Value}.  get/1,2 return the stored
; value itself, a term outside every heap, which the collector leaves alone
; as it does literals.  A replaced or erased entry's block is never freed:
; a process may still hold its value (BEAM defers that free to a global
; collection; xbeam does not collect these yet).
%include "macros.inc"

E_NEXT   equ 0
E_BYTES  equ 4
E_PAIR   equ 8                      ; the {Key, Value} term
E_SIZE   equ 12                     ; the copy starts here

global xb_pt_put_2, xb_pt_get_1, xb_pt_get_2, xb_pt_erase_1
extern xb_xregs, xb_eq_exact, xb_copy_to_block, xb_raise_atom

section .bss
entries: resd 1
pt_pair: resd 3                     ; {Key, Value}, copied from here

section .text

;; find — in: x0 = a key.  out: ebx = its entry and edi = the one before
;; (or the fake head), or ebx = 0.  clobbers eax ecx edx.
find:
  mov edi, entries - E_NEXT
.next:
  mov ebx, [edi + E_NEXT]
  test ebx, ebx
  jz .done
  mov eax, [ebx + E_PAIR]
  mov eax, [eax - TAG_BOXED + 4]
  mov edx, [xb_xregs]
  push ebx
  push edi
  call xb_eq_exact
  pop edi
  pop ebx
  je .done
  mov edi, ebx
  jmp .next
.done:
  ret

;; persistent_term:put(Key, Value) -> ok
xb_pt_put_2:
  call find
  test ebx, ebx
  jz .new
  mov eax, [ebx + E_NEXT]           ; the old entry goes (its block stays)
  mov [edi + E_NEXT], eax
.new:
  mov dword [pt_pair], (2 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov eax, [xb_xregs]
  mov [pt_pair + 4], eax
  mov eax, [xb_xregs + 4]
  mov [pt_pair + 8], eax
  mov eax, pt_pair + TAG_BOXED
  mov ebx, E_SIZE
  call xb_copy_to_block
  mov [eax + E_BYTES], ecx
  mov [eax + E_PAIR], edx
  mov ecx, [entries]
  mov [eax + E_NEXT], ecx
  mov [entries], eax
  mov dword [xb_xregs], ATOM_ok
  ret

;; persistent_term:get(Key) — badarg when there is none.
xb_pt_get_1:
  call find
  test ebx, ebx
  jz .badarg
  mov eax, [ebx + E_PAIR]
  mov eax, [eax - TAG_BOXED + 8]
  mov [xb_xregs], eax
  ret
.badarg:
  mov eax, ATOM_badarg
  jmp xb_raise_atom

;; persistent_term:get(Key, Default)
xb_pt_get_2:
  call find
  mov eax, [xb_xregs + 4]
  test ebx, ebx
  jz .ret
  mov eax, [ebx + E_PAIR]
  mov eax, [eax - TAG_BOXED + 8]
.ret:
  mov [xb_xregs], eax
  ret

;; persistent_term:erase(Key) -> whether there was one
xb_pt_erase_1:
  call find
  mov eax, ATOM_false
  test ebx, ebx
  jz .ret
  mov eax, [ebx + E_NEXT]
  mov [edi + E_NEXT], eax
  mov eax, ATOM_true
.ret:
  mov [xb_xregs], eax
  ret
