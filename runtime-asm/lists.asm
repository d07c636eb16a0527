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

; ---------------------------------------------------------------------------
;; erlang:'--'(A, B): each element of B takes away the first element of A
;; exactly equal to it (=:=).  B's elements are sorted into an array of
;; {term, count} (outside the heap: nothing collects from then on) and
;; each element of A is looked up by binary search, so the work is
;; |A| log |B| comparisons, as BEAM's multiset.  The order only has to be
;; total and agree with =:=: immediates by their words, before everything
;; else, the rest in the term order of map keys (xb_compare_exact).
global xb_erl_subtract_2
extern xb_alloc, xb_free, xb_compare_exact

section .text

xb_erl_subtract_2:
  mov eax, [xb_xregs + 4]
  call xb_list_length
  jc badarg
  mov [sub_b_len], ecx
  mov eax, [xb_xregs]
  call xb_list_length
  jc badarg
  mov [sub_a_len], ecx
  cmp dword [sub_b_len], 0
  je .unchanged
  cmp dword [sub_a_len], 0
  je .unchanged
  mov eax, [sub_a_len]              ; room for the result: a cell per element of A
  shl eax, 1
  mov ecx, 2
  ENSURE_HEAP
  mov eax, [sub_b_len]
  shl eax, 3
  mov [sub_arr_bytes], eax
  call xb_alloc
  mov [sub_arr], eax
  mov edi, eax
  mov edx, [xb_xregs + 4]
.fill:
  cmp edx, NIL
  je .filled
  mov eax, [edx - TAG_LIST]
  mov [edi], eax
  mov dword [edi + 4], 1
  add edi, 8
  mov edx, [edx - TAG_LIST + 4]
  jmp .fill
.filled:
  call sort_pairs
  call count_pairs
  mov dword [sub_head], NIL
  mov dword [sub_prev], 0
  mov edx, [xb_xregs]
.walk:
  cmp edx, NIL
  je .walked
  mov [sub_cell], edx
  mov eax, [edx - TAG_LIST]
  call find_pair                    ; edi = its pair, or 0
  mov edx, [sub_cell]
  test edi, edi
  jz .keep
  cmp dword [edi + 4], 0
  je .keep
  dec dword [edi + 4]               ; taken away
  jmp .next
.keep:
  mov eax, [edx - TAG_LIST]
  mov [esi], eax
  mov dword [esi + 4], NIL
  lea eax, [esi + TAG_LIST]
  mov ecx, [sub_prev]
  test ecx, ecx
  jz .first
  mov [ecx + 4], eax
  jmp .linked
.first:
  mov [sub_head], eax
.linked:
  mov [sub_prev], esi
  add esi, 8
.next:
  mov edx, [edx - TAG_LIST + 4]
  jmp .walk
.walked:
  mov eax, [sub_arr]
  mov ecx, [sub_arr_bytes]
  call xb_free
  mov eax, [sub_head]
  mov [xb_xregs], eax
.unchanged:                         ; (A is in x0)
  ret

;; sub_cmp — in: eax, edx = terms.  out: eax < 0, 0 (=:=) or > 0.
;; Clobbers ebx ecx edx edi.
sub_cmp:
  cmp eax, edx
  je .equal
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  mov ebx, edx
  and ebx, TAG_PRIMARY_MASK
  cmp ecx, TAG_IMMED1
  jne .first_compound
  cmp ebx, TAG_IMMED1
  jne .less                         ; an immediate before anything else
  cmp eax, edx                      ; two immediates (not the same word)
  jb .less
  jmp .greater
.first_compound:
  cmp ebx, TAG_IMMED1
  je .greater
  jmp xb_compare_exact
.equal:
  xor eax, eax
  ret
.less:
  mov eax, -1
  ret
.greater:
  mov eax, 1
  ret

;; sort_pairs — heapsort of the sub_b_len pairs at [sub_arr] by term.
sort_pairs:
  mov eax, [sub_b_len]
  shr eax, 1
.build:
  dec eax
  js .built
  mov [sp_i], eax
  mov edx, [sub_b_len]
  call sift
  mov eax, [sp_i]
  jmp .build
.built:
  mov eax, [sub_b_len]
.extract:
  dec eax
  jle .sorted
  mov [sp_i], eax
  mov ebx, [sub_arr]                ; the largest to the end
  mov ecx, [ebx]
  mov edx, [ebx + 8 * eax]
  mov [ebx], edx
  mov [ebx + 8 * eax], ecx
  mov edx, eax
  xor eax, eax
  call sift
  mov eax, [sp_i]
  jmp .extract
.sorted:
  ret

;; sift — in: eax = a root, edx = the heap's size: moves the root's term
;; down to its place.  (Counts are all 1 while sorting: terms move alone.)
sift:
  mov [sf_root], eax
  mov [sf_size], edx
.loop:
  mov eax, [sf_root]
  lea ecx, [2 * eax + 1]
  cmp ecx, [sf_size]
  jae .done
  mov [sf_child], ecx
  lea edx, [ecx + 1]
  cmp edx, [sf_size]
  jae .child
  mov ebx, [sub_arr]                ; the larger child
  mov eax, [ebx + 8 * ecx]
  mov edx, [ebx + 8 * ecx + 8]
  call sub_cmp
  test eax, eax
  jge .child
  inc dword [sf_child]
.child:
  mov ebx, [sub_arr]
  mov eax, [sf_root]
  mov ecx, [sf_child]
  mov eax, [ebx + 8 * eax]
  mov edx, [ebx + 8 * ecx]
  call sub_cmp
  test eax, eax
  jge .done
  mov ebx, [sub_arr]
  mov eax, [sf_root]
  mov ecx, [sf_child]
  mov edx, [ebx + 8 * eax]
  mov edi, [ebx + 8 * ecx]
  mov [ebx + 8 * eax], edi
  mov [ebx + 8 * ecx], edx
  mov [sf_root], ecx
  jmp .loop
.done:
  ret

;; count_pairs — equal terms of the sorted array into one pair with their
;; count; sub_n = the pairs.
count_pairs:
  mov dword [cp_i], 0
  mov dword [cp_o], 0
.loop:
  mov ecx, [cp_i]
  cmp ecx, [sub_b_len]
  jae .done
  mov ebx, [sub_arr]
  mov eax, [ebx + 8 * ecx]
  mov edx, [cp_o]
  test edx, edx
  jz .new
  mov edx, [ebx + 8 * edx - 8]
  call sub_cmp
  test eax, eax
  jnz .new
  mov ebx, [sub_arr]
  mov edx, [cp_o]
  inc dword [ebx + 8 * edx - 4]
  jmp .next
.new:
  mov ebx, [sub_arr]
  mov ecx, [cp_i]
  mov eax, [ebx + 8 * ecx]
  mov edx, [cp_o]
  mov [ebx + 8 * edx], eax
  mov dword [ebx + 8 * edx + 4], 1
  inc dword [cp_o]
.next:
  inc dword [cp_i]
  jmp .loop
.done:
  mov eax, [cp_o]
  mov [sub_n], eax
  ret

;; find_pair — in: eax = a term.  out: edi = the pair holding it, or 0.
;; Clobbers eax ebx ecx edx.
find_pair:
  mov [fp_term], eax
  mov dword [fp_lo], 0
  mov eax, [sub_n]
  mov [fp_hi], eax
.loop:
  mov eax, [fp_lo]
  cmp eax, [fp_hi]
  jae .none
  add eax, [fp_hi]
  shr eax, 1
  mov [fp_mid], eax
  mov ebx, [sub_arr]
  mov edx, [ebx + 8 * eax]
  mov eax, [fp_term]
  call sub_cmp
  test eax, eax
  je .found
  jl .lower
  mov eax, [fp_mid]
  inc eax
  mov [fp_lo], eax
  jmp .loop
.lower:
  mov eax, [fp_mid]
  mov [fp_hi], eax
  jmp .loop
.found:
  mov edi, [fp_mid]
  shl edi, 3
  add edi, [sub_arr]
  ret
.none:
  xor edi, edi
  ret

section .bss
sub_a_len: resd 1
sub_b_len: resd 1
sub_arr: resd 1
sub_arr_bytes: resd 1
sub_n: resd 1
sub_head: resd 1
sub_prev: resd 1
sub_cell: resd 1
sp_i: resd 1
sf_root: resd 1
sf_size: resd 1
sf_child: resd 1
cp_i: resd 1
cp_o: resd 1
fp_term: resd 1
fp_lo: resd 1
fp_hi: resd 1
fp_mid: resd 1
