; runtime-asm/pterm.asm — persistent_term: terms stored outside every heap.
;
; Each entry is a block of its own (xb_alloc): the link to the next entry,
; the block's size, and a copy of {Key, Value}.  The entries hang in 256
; chains by a hash of the key (key_hash: a few words of it, the same for
; keys equal by =:=), so a lookup compares the key with few others, where
; one chain of them all made get/1 as slow as there were terms.  get/1,2 return the stored
; value itself, a term outside every heap, which the collector leaves alone
; as it does literals.  A reference-counted binary in it stays one (its
; Binary referenced from the block), so storing a large binary copies none
; of its bytes.  A replaced or erased entry's block is never freed:
; a process may still hold its value (BEAM defers that free to a global
; collection; xbeam does not collect these yet).
%include "macros.inc"

E_NEXT   equ 0
E_BYTES  equ 4
E_PAIR   equ 8                      ; the {Key, Value} term
E_SIZE   equ 12                     ; the copy starts here
CHAINS   equ 256

global xb_pt_put_2, xb_pt_get_1, xb_pt_get_2, xb_pt_erase_1
extern xb_xregs, xb_eq_exact, xb_copy_to_lasting_block, xb_raise_atom, xb_bitstring_data

section .bss
entries: resd CHAINS                ; the chains' first entries
pt_pair: resd 3                     ; {Key, Value}, copied from here
pt_head: resd 1                     ; find: the key's chain (its fake head)
pt_chain: resd 1                    ; put: where the new entry goes

section .text

; MIX x — the hash in edx, with x mixed in (FNV-1's step).
%macro MIX 1
  imul edx, edx, 0x01000193
  xor edx, %1
%endmacro

;; find — in: x0 = a key.  out: ebx = its entry and edi = the one before
;; (or its chain's fake head: a new entry goes after it), or ebx = 0.
;; clobbers eax ecx edx.
find:
  mov eax, [xb_xregs]
  call key_hash
  mov eax, edx
  shr eax, 16
  xor eax, edx
  movzx eax, al
  lea edi, [entries + 4 * eax - E_NEXT]
  mov [pt_head], edi
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
  mov edi, [pt_head]
.new:
  mov [pt_chain], edi               ; (after the entry before: its chain)
  mov dword [pt_pair], (2 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov eax, [xb_xregs]
  mov [pt_pair + 4], eax
  mov eax, [xb_xregs + 4]
  mov [pt_pair + 8], eax
  mov eax, pt_pair + TAG_BOXED
  mov ebx, E_SIZE
  call xb_copy_to_lasting_block
  mov [eax + E_BYTES], ecx
  mov [eax + E_PAIR], edx
  mov ecx, [pt_chain]
  mov edx, [ecx + E_NEXT]
  mov [eax + E_NEXT], edx
  mov [ecx + E_NEXT], eax
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

;; key_hash — in: eax = a term.  out: edx = a hash of it, equal for terms
;; equal by =:=: immediates by their words, the first four elements of a
;; tuple or list two levels down, a bitstring's size and first four bytes,
;; a reference's lowest number, a bignum's first digit; floats, funs, maps
;; and other nodes' pids and ports only by their kind.  clobbers eax ebx ecx.
key_hash:
  xor edx, edx
  mov ecx, 2                        ; levels left below this one
  ; falls through

;; hash_term — in: eax = a term, edx = the hash so far, ecx = levels left.
;; out: edx.  Preserves ecx; clobbers eax ebx.
hash_term:
  mov ebx, eax
  and ebx, TAG_PRIMARY_MASK
  cmp ebx, TAG_LIST
  je .list
  cmp ebx, TAG_BOXED
  je .boxed
  MIX eax                           ; an immediate
  ret
.list:
  MIX TAG_LIST
  test ecx, ecx
  jz .ret
  dec ecx
  mov ebx, 4
.cell:                              ; eax = a list cell, ebx = cells left
  push ebx
  push eax
  mov eax, [eax - TAG_LIST]
  call hash_term
  pop eax
  pop ebx
  mov eax, [eax - TAG_LIST + 4]     ; the tail
  dec ebx
  jz .cells_done
  push ebx
  mov ebx, eax
  and ebx, TAG_PRIMARY_MASK
  cmp ebx, TAG_LIST
  pop ebx
  je .cell
  call hash_term                    ; [] or an improper tail
.cells_done:
  inc ecx
.ret:
  ret
.boxed:
  mov ebx, [eax - TAG_BOXED]
  and ebx, HDR_SUBTAG_MASK
  cmp ebx, HDR_ARITYVAL
  je .tuple
  cmp ebx, HDR_REF
  je .ref
  cmp dword [eax - TAG_BOXED], EXTERNAL_REF_HEADER
  je .ref
  cmp ebx, HDR_POS_BIG
  je .big
  cmp ebx, HDR_NEG_BIG
  je .big
  push ebx
  push ecx
  push edx
  call xb_bitstring_data            ; edx = bytes, ecx = bits; CF: not one
  mov eax, edx
  pop edx
  jc .kind
  MIX ecx
  add ecx, 7
  shr ecx, 3
  cmp ecx, 4
  jbe .bytes
  mov ecx, 4
.bytes:
  jecxz .bytes_done
  movzx ebx, byte [eax]
  MIX ebx
  inc eax
  dec ecx
  jmp .bytes
.bytes_done:
  pop ecx
  pop ebx
  ret
.kind:                              ; by its kind alone
  pop ecx
  pop ebx
  MIX ebx
  ret
.ref:                               ; either form: the numbers are words 1-3
  MIX HDR_REF
  MIX [eax - TAG_BOXED + 4]
  ret
.big:
  MIX [eax - TAG_BOXED]
  MIX [eax - TAG_BOXED + 4]
  ret
.tuple:
  mov ebx, [eax - TAG_BOXED]
  shr ebx, HDR_ARITY_SHIFT
  MIX ebx
  test ecx, ecx
  jz .ret
  test ebx, ebx
  jz .ret
  dec ecx
  cmp ebx, 4
  jbe .element
  mov ebx, 4
.element:                           ; ebx = the element (from the fourth down)
  push ebx
  push eax
  mov eax, [eax - TAG_BOXED + 4 * ebx]
  call hash_term
  pop eax
  pop ebx
  dec ebx
  jnz .element
  inc ecx
  ret
