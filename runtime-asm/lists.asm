; runtime-asm/lists.asm — the lists functions that BEAM implements in C.
;
; lists.beam declares them as NIF stubs (they call erlang:nif_error); the
; loader sends every call to them, local or external, here instead.  Erlang
; calling convention: arguments in x registers, result in x0.
%include "macros.inc"

global xb_lists_reverse_2, xb_lists_member_2, xb_lists_keyfind_3
global xb_lists_keymember_3, xb_lists_keysearch_3, xb_list_length
extern xb_xregs, xb_gc, xb_eq_exact, xb_compare, xb_raise_atom

section .text

badarg:
  mov eax, ATOM_badarg
  jmp xb_raise_atom

;; xb_list_length — in: eax = a term.  out: ecx = its length and CF clear
;; when it is a proper list; CF set when it is not.  Clobbers eax edx.
;; Neither collects nor raises, so a plain call is safe.
xb_list_length:
  xor ecx, ecx
.next:
  cmp eax, NIL
  je .proper
  mov edx, eax
  and edx, TAG_PRIMARY_MASK
  cmp edx, TAG_LIST
  jne .improper
  inc ecx
  mov eax, [eax - TAG_LIST + 4]
  jmp .next
.proper:
  clc
  ret
.improper:
  stc
  ret

;; lists:reverse/2 — the first list reversed onto the second.
;; The heap check comes first (both arguments live): the collector may move
;; them, so they are read from x0/x1 only after it.
xb_lists_reverse_2:
  mov eax, [xb_xregs]
  call xb_list_length
  jc badarg
  lea eax, [2 * ecx]
  mov ecx, 2
  ENSURE_HEAP
  mov eax, [xb_xregs]
  mov edx, [xb_xregs + 4]           ; the result so far
.push:
  cmp eax, NIL
  je .done
  mov ecx, [eax - TAG_LIST]
  CONS ecx
  mov eax, [eax - TAG_LIST + 4]
  jmp .push
.done:
  mov [xb_xregs], edx
  ret

;; lists:member/2 — true if some element is exactly (=:=) the first argument.
xb_lists_member_2:
  mov ebx, [xb_xregs + 4]
.next:
  cmp ebx, NIL
  je .no
  mov ecx, ebx
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_LIST
  jne badarg
  push ebx
  mov eax, [xb_xregs]
  mov edx, [ebx - TAG_LIST]
  CALLA xb_eq_exact
  pop ebx
  je .yes
  mov ebx, [ebx - TAG_LIST + 4]
  jmp .next
.yes:
  mov dword [xb_xregs], ATOM_true
  ret
.no:
  mov dword [xb_xregs], ATOM_false
  ret

;; lists:keymember/3 — whether keyfind/3 finds a tuple.
xb_lists_keymember_3:
  CALLA xb_lists_keyfind_3
  cmp dword [xb_xregs], ATOM_false
  je .done
  mov dword [xb_xregs], ATOM_true
.done:
  ret

;; lists:keysearch/3 — {value, Tuple} where keyfind/3 finds one, else false.
xb_lists_keysearch_3:
  CALLA xb_lists_keyfind_3
  cmp dword [xb_xregs], ATOM_false
  je .done
  mov eax, 3
  mov ecx, 1                        ; the tuple, in x0, survives
  ENSURE_HEAP
  mov dword [esi], (2 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov dword [esi + 4], ATOM_value
  mov eax, [xb_xregs]
  mov [esi + 8], eax
  lea eax, [esi + TAG_BOXED]
  add esi, 12
  mov [xb_xregs], eax
.done:
  ret

;; lists:keyfind/3 — the first tuple whose Nth element compares equal (==)
;; to the key, or false.
xb_lists_keyfind_3:
  mov eax, [xb_xregs + 4]
  NOT_SMALL_JUMP eax, badarg        ; (uses ecx as scratch)
  sar eax, SMALL_SHIFT
  cmp eax, 1
  jl badarg
  mov [key_index], eax
  mov ebx, [xb_xregs + 8]
.next:
  cmp ebx, NIL
  je .no
  mov ecx, ebx
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_LIST
  jne badarg
  mov edi, [ebx - TAG_LIST]         ; an element: is it a tuple big enough?
  mov ecx, edi
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_BOXED
  jne .skip
  mov ecx, [edi - TAG_BOXED]
  test ecx, HDR_SUBTAG_MASK
  jnz .skip
  shr ecx, HDR_ARITY_SHIFT
  cmp ecx, [key_index]
  jb .skip
  mov ecx, [key_index]
  mov edx, [edi - TAG_BOXED + 4 * ecx]
  mov eax, [xb_xregs]
  cmp eax, edx
  je .found
  mov ecx, eax                      ; two different immediates: not equal
  and ecx, edx
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_IMMED1
  je .skip
  push ebx
  CALLA xb_compare
  pop ebx
  test eax, eax
  jz .found
.skip:
  mov ebx, [ebx - TAG_LIST + 4]
  jmp .next
.found:
  mov eax, [ebx - TAG_LIST]
  mov [xb_xregs], eax
  ret
.no:
  mov dword [xb_xregs], ATOM_false
  ret

section .bss
key_index: resd 1
