; runtime-asm/maps.asm — maps: lookup and update.
;
; A map is {header(MAP, 2 + N), small(N), Keys, V1, ..., VN}: Keys is a
; tuple of the N keys in term order, Vi the value of the i-th key.  Every
; word after the header is a term, so the collector and the copier scan a
; map like a tuple.  (BEAM switches to a hash trie above 32 keys; xbeam
; keeps this form at every size and gives the trie's iteration order in
; runtime-erl/xbeam_maps.erl.)  Lookups in larger maps halve the keys
; array (docs/abi.md, "Maps").
%include "macros.inc"

global xb_map_get, xb_map_put, xb_bif_map_5f_size_1, xb_bif_map_5f_get_2, xb_bif_is_5f_map_5f_key_2
global xb_map_src, xb_guard_reason
extern xb_xregs, xb_gc, xb_compare_exact, xb_eq_exact, xb_raise_pair, xb_raise_atom

PUT_EXACT  equ 1
PUT_SORTED equ 2
; find halves the keys from this many on (comparing in term order costs more
; than comparing words, or than an equality test that stops at the first
; difference of tag or size).
BSEARCH_IMMEDIATE equ 48
BSEARCH_COMPOUND  equ 8

section .bss
sorted:  resd 1
xb_map_src: resd 1                  ; get_map_elements: the map, read once
live:    resd 1                     ; put: live x registers; the operands follow them
pairs:   resd 1                     ; put: how many key/value pairs
exact:   resd 1                     ; put: 1 for =>'s cousin :=, which only updates
size:    resd 1                     ; put: the new map's size
i:       resd 1
j:       resd 1
keys:    resd 1                     ; put: the new keys tuple and map (raw addresses)
map:     resd 1

section .text

;; is_map — in: eax = a term.  out: ZF set when it is a map.  clobbers ecx.
%macro IS_MAP 0
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_BOXED
  jne %%done
  mov ecx, [eax - TAG_BOXED]
  and ecx, HDR_SUBTAG_MASK
  cmp ecx, HDR_MAP
%%done:
%endmacro

;; find — in: eax = a map, edx = a key.  out: ecx = the key's index (from
;; 0) and ZF set when found.  clobbers ebx ecx edx edi.
find:
  push eax
  push esi
  mov esi, [eax - TAG_BOXED + 8]    ; the keys tuple
  mov ecx, [eax - TAG_BOXED + 4]
  sar ecx, SMALL_SHIFT
  mov [find_n], ecx
  mov [find_key], edx
  mov ebx, edx                      ; an immediate key: comparing words is enough
  and ebx, TAG_PRIMARY_MASK
  cmp ebx, TAG_IMMED1
  jne .compound
  cmp ecx, BSEARCH_IMMEDIATE
  jae .bsearch
  xor ecx, ecx
.immediate:
  cmp ecx, [find_n]
  jae .absent
  cmp [esi - TAG_BOXED + 4 + 4 * ecx], edx
  je .found
  inc ecx
  jmp .immediate
.compound:
  cmp ecx, BSEARCH_COMPOUND
  jae .bsearch
  xor ecx, ecx
.next:
  cmp ecx, [find_n]
  jae .absent
  mov eax, [esi - TAG_BOXED + 4 + 4 * ecx]
  mov edx, [find_key]
  cmp eax, edx
  je .found
  mov ebx, eax                      ; two different immediates: not equal
  and ebx, edx
  and ebx, TAG_PRIMARY_MASK
  cmp ebx, TAG_IMMED1
  je .differ
  push ecx
  call xb_eq_exact
  pop ecx
  je .found
.differ:
  inc ecx
  jmp .next
.found:
  pop esi
  pop eax
  xor edx, edx                      ; ZF set
  ret
.bsearch:                           ; the keys are in term order: halve [lo, hi)
  mov dword [find_lo], 0
  mov [find_hi], ecx
.halve:
  mov ecx, [find_lo]
  cmp ecx, [find_hi]
  jae .absent
  add ecx, [find_hi]
  shr ecx, 1
  mov [find_mid], ecx
  mov eax, [esi - TAG_BOXED + 4 + 4 * ecx]
  mov edx, [find_key]
  call xb_compare_exact             ; (keeps esi)
  mov ecx, [find_mid]
  test eax, eax
  jz .found
  jg .lower
  inc ecx
  mov [find_lo], ecx
  jmp .halve
.lower:
  mov [find_hi], ecx
  jmp .halve
.absent:
  pop esi
  pop eax
  or edx, 1                         ; ZF clear
  ret

;; xb_map_get — in: eax = a term, edx = a key.  out: eax = the value, or
;; NON_VALUE when eax is not a map or has no such key.
;; clobbers ebx ecx edx edi.
xb_map_get:
  IS_MAP
  jne .none
  call find
  jne .none
  mov eax, [eax - TAG_BOXED + 12 + 4 * ecx]
  ret
.none:
  xor eax, eax
  ret

;; map_size/1 (guard BIF)
xb_bif_map_5f_size_1:
  IS_MAP
  jne badmap
  mov eax, [eax - TAG_BOXED + 4]
  ret

;; map_get/2 (guard BIF): map_get(Key, Map)
xb_bif_map_5f_get_2:
  xchg eax, edx
  push edx
  IS_MAP
  jne .badmap
  call find
  jne .badkey
  add esp, 4
  mov eax, [eax - TAG_BOXED + 12 + 4 * ecx]
  ret
.badmap:
  add esp, 4
  jmp badmap
.badkey:
  pop eax
  mov edx, ATOM_badkey
  jmp pair_reason

;; is_map_key/2 (guard BIF): is_map_key(Key, Map)
xb_bif_is_5f_map_5f_key_2:
  xchg eax, edx
  IS_MAP
  jne badmap
  call find
  mov eax, ATOM_true
  je .ret
  mov eax, ATOM_false
.ret:
  ret

;; badmap — a guard BIF's failure {badmap, eax}.  The reason is built in
;; static memory (a guard BIF must not collect), xb_guard_reason; when it
;; is raised (the BIF called in a body), errors.asm's xb_raise_pending
;; copies it onto the heap, since the next such failure, in any process,
;; writes over it.
badmap:
  mov edx, ATOM_badmap
pair_reason:                        ; {edx, eax}
  mov dword [xb_guard_reason], (2 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov [xb_guard_reason + 4], edx
  mov [xb_guard_reason + 8], eax
  mov dword [ebp + P_FVALUE], xb_guard_reason + TAG_BOXED
  xor eax, eax
  ret

;; xb_map_put — put_map_assoc and put_map_exact.
;;   in:  ecx = Live; x(Live) = the map, then N key/value pairs in
;;        x(Live+1)...; edx = N; ebx = PUT_EXACT for put_map_exact (update
;;        only), | PUT_SORTED when the keys are distinct constants in term
;;        order (the emitter sorted them).
;;   out: eax = the new map.  Raises {badmap, M} or {badkey, K}.
;;   May collect (called by CALLA); clobbers eax ebx ecx edx edi.
xb_map_put:
  mov [live], ecx
  mov [pairs], edx
  mov eax, ebx
  and eax, PUT_EXACT
  mov [exact], eax
  and ebx, PUT_SORTED
  mov [sorted], ebx
  mov eax, [xb_xregs + 4 * ecx]
  IS_MAP
  jne .badmap
  ; 1. The new size: the old one, plus each new key that is neither in the
  ;    map nor an earlier new key.
  mov eax, [eax - TAG_BOXED + 4]
  sar eax, SMALL_SHIFT
  mov [size], eax
  mov dword [i], 0
.count:
  mov ecx, [i]
  cmp ecx, [pairs]
  jae .counted
  call operand_key                  ; edx = key i
  mov eax, [live]
  mov eax, [xb_xregs + 4 * eax]
  call find
  mov edx, [i]
  mov [found + 4 * edx], ecx        ; where it is, for step 3
  je .count_next
  mov dword [found + 4 * edx], -1
  cmp dword [exact], 0
  jne .badkey
  cmp dword [sorted], 0
  jne .new                          ; distinct keys: no earlier one is the same
  mov dword [j], 0                  ; an earlier new key?
.earlier:
  mov ecx, [j]
  cmp ecx, [i]
  jae .new
  call operand_key
  mov eax, edx
  mov ecx, [i]
  call operand_key
  cmp eax, edx
  je .count_next
  call xb_eq_exact
  je .count_next
  inc dword [j]
  jmp .earlier
.new:
  inc dword [size]
.count_next:
  inc dword [i]
  jmp .count
.counted:
  ; 2. Room: the keys tuple and the map.
  mov eax, [size]
  lea eax, [2 * eax + 4]
  mov ecx, [live]
  mov edx, [pairs]
  lea ecx, [ecx + 2 * edx + 1]
  ENSURE_HEAP
  mov [keys], esi
  mov eax, [size]
  lea edi, [esi + 4 * eax + 4]
  mov [map], edi
  lea esi, [edi + 4 * eax + 12]
  ; 3. The old entries, then each new pair put in its place.
  mov eax, [live]
  mov eax, [xb_xregs + 4 * eax]
  mov ecx, [eax - TAG_BOXED + 4]
  sar ecx, SMALL_SHIFT
  mov [n_now], ecx
  push esi                          ; (HTOP; nothing collects here)
  mov esi, [eax - TAG_BOXED + 8]
  add esi, 4 - TAG_BOXED            ; the old keys
  mov edi, [keys]
  add edi, 4
  mov edx, ecx
  rep movsd
  lea esi, [eax - TAG_BOXED + 12]   ; the old values
  mov edi, [map]
  add edi, 12
  mov ecx, edx
  rep movsd
  pop esi
.copied:
  ; Keys already in the map: their values replaced where step 1 found them.
  xor ecx, ecx
  mov edi, [map]
.replace_found:
  cmp ecx, [pairs]
  jae .replaced
  mov edx, [found + 4 * ecx]
  test edx, edx
  js .replace_next
  mov eax, [live]
  lea eax, [eax + 2 * ecx + 2]
  mov eax, [xb_xregs + 4 * eax]
  mov [edi + 12 + 4 * edx], eax
.replace_next:
  inc ecx
  jmp .replace_found
.replaced:
  ; New keys: each put in its place.
  mov dword [i], 0
.put:
  mov ecx, [i]
  cmp ecx, [pairs]
  jae .built
  cmp dword [found + 4 * ecx], 0
  jge .put_next
  call operand_key
  mov [put_key], edx
  ; The first position whose key is >= the new key; after the last key
  ; at once when it is greater (pairs with constant keys come sorted).
  mov ecx, [n_now]
  mov [j], ecx
  test ecx, ecx
  jz .insert
  cmp dword [sorted], 0             ; sorted keys into a map that had none:
  je .last_key                      ; each goes after the one before
  cmp ecx, [i]
  jbe .insert
.last_key:
  mov eax, [keys]
  mov eax, [eax + 4 * ecx]          ; the last key
  mov edx, [put_key]
  call xb_compare_exact
  test eax, eax
  jl .insert
  mov dword [j], 0                  ; halve [j, put_hi) down to the first
  mov eax, [n_now]                  ; key >= the new one
  mov [put_hi], eax
.position:
  mov ecx, [j]
  cmp ecx, [put_hi]
  jae .insert
  add ecx, [put_hi]
  shr ecx, 1
  mov [put_mid], ecx
  mov eax, [keys]
  mov eax, [eax + 4 + 4 * ecx]
  mov edx, [put_key]
  call xb_compare_exact
  mov ecx, [put_mid]
  test eax, eax
  je .replace
  jg .upper_half_out
  inc ecx
  mov [j], ecx
  jmp .position
.upper_half_out:
  mov [put_hi], ecx
  jmp .position
.replace:
  mov [j], ecx
  mov eax, [keys]
  mov edx, [put_key]
  mov [eax + 4 + 4 * ecx], edx      ; (equal in the exact order: the same key)
  jmp .value
.insert:                            ; shift entries j.. up by one
  mov ecx, [n_now]
  mov eax, [keys]
  mov edi, [map]
.shift:
  cmp ecx, [j]
  jbe .shifted
  mov edx, [eax + 4 * ecx]
  mov [eax + 4 + 4 * ecx], edx
  mov edx, [edi + 8 + 4 * ecx]
  mov [edi + 12 + 4 * ecx], edx
  dec ecx
  jmp .shift
.shifted:
  inc dword [n_now]
  mov ecx, [j]
  mov edx, [put_key]
  mov [eax + 4 + 4 * ecx], edx
.value:
  mov ecx, [i]
  mov eax, [live]
  lea eax, [eax + 2 * ecx + 2]
  mov eax, [xb_xregs + 4 * eax]
  mov ecx, [j]
  mov edi, [map]
  mov [edi + 12 + 4 * ecx], eax
.put_next:
  inc dword [i]
  jmp .put
.built:
  mov eax, [size]
  mov edx, [keys]
  mov edi, [map]
  jmp map_headers
.badmap:
  mov [xb_xregs], eax
  mov ebx, ATOM_badmap
  jmp xb_raise_pair
.badkey:
  mov ecx, [i]
  call operand_key
  mov eax, edx
  mov ebx, ATOM_badkey
  jmp xb_raise_pair

;; map_headers — in: eax = a map's size, edx = the address of its keys
;; tuple, edi = the map's, their keys and values in place.  Writes the
;; tuple's header and the map's header, size and keys.  out: eax = the map.
;; Clobbers ecx.
map_headers:
  mov ecx, eax
  shl ecx, HDR_ARITY_SHIFT
  mov [edx], ecx                    ; header(ARITYVAL, size)
  lea ecx, [eax + 2]
  shl ecx, HDR_ARITY_SHIFT
  or ecx, HDR_MAP
  mov [edi], ecx
  TAG_SMALL_INT eax
  mov [edi + 4], eax
  lea eax, [edx + TAG_BOXED]
  mov [edi + 8], eax
  lea eax, [edi + TAG_BOXED]
  ret

;; operand_key — in: ecx = a pair's index.  out: edx = its key.
operand_key:
  mov edx, [live]
  lea edx, [edx + 2 * ecx + 1]
  mov edx, [xb_xregs + 4 * edx]
  ret

section .bss
find_n:   resd 1
find_key: resd 1
find_lo:  resd 1
find_hi:  resd 1
find_mid: resd 1
n_now:    resd 1
put_key:  resd 1
put_hi:   resd 1
put_mid:  resd 1
found:    resd MAX_XREGS / 2        ; put: per pair, the index of its key in the old map, or -1
xb_guard_reason: resd 3

section .text
global xb_erts_map_next_3

;; xbeam:map_next_flat(Index, Map, iterator) — a step through the array,
;; in key order: {Key, Value, [Index + 1 | Map]} for the Index-th key, or
;; none after the last.  runtime-erl/xbeam_maps.erl builds
;; erts_internal:map_next/3, maps:to_list/1 and the rest on it.
xb_erts_map_next_3:
  cmp dword [xb_xregs + 8], ATOM_iterator
  jne .badarg
  mov eax, [xb_xregs + 4]
  IS_MAP
  jne .badarg
  mov ecx, [xb_xregs]
  mov edx, ecx
  and edx, TAG_IMMED1_MASK
  cmp edx, TAG_SMALL
  jne .badarg
  cmp ecx, [eax - TAG_BOXED + 4]    ; both smalls: compare as words
  jge .none
  mov eax, 6
  mov ecx, 3
  ENSURE_HEAP
  mov eax, [xb_xregs + 4]
  mov ecx, [xb_xregs]
  sar ecx, SMALL_SHIFT
  mov edx, [eax - TAG_BOXED + 8]    ; the keys
  mov edx, [edx - TAG_BOXED + 4 + 4 * ecx]
  mov [esi + 12], edx               ; {Key, Value, Iter} at esi + 8
  mov edx, [eax - TAG_BOXED + 12 + 4 * ecx]
  mov [esi + 16], edx
  inc ecx
  TAG_SMALL_INT ecx
  mov [esi], ecx                    ; [Index + 1 | Map]
  mov [esi + 4], eax
  mov dword [esi + 8], (3 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  lea ecx, [esi + TAG_LIST]
  mov [esi + 20], ecx
  lea eax, [esi + 8 + TAG_BOXED]
  add esi, 24
  mov [xb_xregs], eax
  ret
.none:
  mov dword [xb_xregs], ATOM_none
  ret
.badarg:
  mov eax, ATOM_badarg
  jmp xb_raise_atom

section .bss
fl_n:    resd 1                     ; map_from_list: how many pairs
fl_src:  resd 1                     ; the merge sort's arrays of pairs
fl_dst:  resd 1
fl_w:    resd 1                     ; the width of the runs merged
fl_lo:   resd 1
fl_i:    resd 1                     ; the left run, [i, iend)
fl_iend: resd 1
fl_j:    resd 1                     ; the right run, [j, jend)
fl_jend: resd 1
fl_k:    resd 1                     ; where the next pair goes
fl_dir:  resd 1                     ; the pairs so far: 1 ascending, -1 descending

section .text
global xb_map_from_list_1

;; pair_key — in: ecx = an index into [fl_src].  out: eax = that pair's key.
%macro PAIR_KEY 2                   ; register out, index register
  mov %1, [fl_src]
  mov %1, [%1 + 4 * %2]
  mov %1, [%1 - TAG_BOXED + 4]
%endmacro

;; xbeam:map_from_list(Pairs) — maps:from_list/1's work: the map of a
;; proper list of {Key, Value} tuples, a later pair winning over an earlier
;; one with the same key; the atom badarg for anything else (the caller
;; raises the error with its argument).  The pairs are merge-sorted by key
;; (stably, in the order of map keys) in scratch arrays above the new
;; map, each run of equal keys is left to its last pair, and the keys
;; tuple and the map are written once: N log N comparisons, where putting
;; the pairs one at a time copies the map N times.
xb_map_from_list_1:
  mov eax, [xb_xregs]
  xor ecx, ecx
.count:
  cmp eax, NIL
  je .counted
  mov edx, eax
  and edx, TAG_PRIMARY_MASK
  cmp edx, TAG_LIST
  jne .badarg
  mov edx, [eax - TAG_LIST]
  mov ebx, edx
  and ebx, TAG_PRIMARY_MASK
  cmp ebx, TAG_BOXED
  jne .badarg
  cmp dword [edx - TAG_BOXED], (2 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  jne .badarg
  inc ecx
  mov eax, [eax - TAG_LIST + 4]
  jmp .count
.counted:
  mov [fl_n], ecx
  ; Room: the keys tuple (1 + N) and the map (3 + N), then two arrays of N.
  lea eax, [4 * ecx + 4]
  mov ecx, 1
  ENSURE_HEAP
  mov ecx, [fl_n]
  lea edi, [esi + 8 * ecx + 16]
  mov [fl_src], edi
  lea edx, [edi + 4 * ecx]
  mov [fl_dst], edx
  mov eax, [xb_xregs]
.fill:
  cmp eax, NIL
  je .filled
  mov edx, [eax - TAG_LIST]
  mov [edi], edx
  add edi, 4
  mov eax, [eax - TAG_LIST + 4]
  jmp .fill
.filled:
  ; Pairs that come in strictly ascending order of keys (a map's own, as
  ; term_to_binary writes a small map) need no sort; strictly descending
  ; ones (the same, consed up in reverse) only reversing.
  mov dword [fl_i], 1
  mov dword [fl_dir], 0
.in_order:
  mov ecx, [fl_i]
  cmp ecx, [fl_n]
  jae .one_run
  PAIR_KEY eax, ecx
  dec ecx
  PAIR_KEY edx, ecx
  call xb_compare_exact             ; pair i's key against pair i-1's
  test eax, eax
  jz .merge_sort                    ; (equal keys: the merge keeps the last)
  sar eax, 31
  or eax, 1                         ; 1 ascending, -1 descending
  cmp dword [fl_dir], 0
  je .direction
  cmp eax, [fl_dir]
  jne .merge_sort
.direction:
  mov [fl_dir], eax
  inc dword [fl_i]
  jmp .in_order
.one_run:
  cmp dword [fl_dir], 0
  jge .deduped_all
.reverse:
  mov edx, [fl_src]
  xor ecx, ecx
  mov ebx, [fl_n]
  dec ebx
.swap:
  cmp ecx, ebx
  jge .deduped_all
  mov eax, [edx + 4 * ecx]
  mov edi, [edx + 4 * ebx]
  mov [edx + 4 * ebx], eax
  mov [edx + 4 * ecx], edi
  inc ecx
  dec ebx
  jmp .swap
.deduped_all:                       ; sorted, and no two keys the same
  mov eax, [fl_n]
  mov [fl_k], eax
  jmp .deduped
.merge_sort:
  ; Bottom-up merge sort: runs of w, 2w, ... from [fl_src] into [fl_dst],
  ; then the arrays swap.  A right run's pair goes first only when its key
  ; is less, so equal keys keep the list's order.
  mov dword [fl_w], 1
.pass:
  mov eax, [fl_w]
  cmp eax, [fl_n]
  jae .sorted
  mov dword [fl_lo], 0
.run:
  mov eax, [fl_lo]
  cmp eax, [fl_n]
  jae .pass_done
  mov [fl_i], eax
  mov [fl_k], eax
  add eax, [fl_w]
  cmp eax, [fl_n]
  jbe .iend
  mov eax, [fl_n]
.iend:
  mov [fl_iend], eax
  mov [fl_j], eax
  add eax, [fl_w]
  cmp eax, [fl_n]
  jbe .jend
  mov eax, [fl_n]
.jend:
  mov [fl_jend], eax
  mov [fl_lo], eax
.merge:
  mov ecx, [fl_i]
  cmp ecx, [fl_iend]
  jae .rest_j
  mov ecx, [fl_j]
  cmp ecx, [fl_jend]
  jae .take_i
  PAIR_KEY eax, ecx
  mov ecx, [fl_i]
  PAIR_KEY edx, ecx
  call xb_compare_exact             ; the right run's key against the left's
  test eax, eax
  jl .take_j
.take_i:
  mov ecx, [fl_i]
  inc dword [fl_i]
  jmp .put
.rest_j:
  mov ecx, [fl_j]
  cmp ecx, [fl_jend]
  jae .run
.take_j:
  mov ecx, [fl_j]
  inc dword [fl_j]
.put:
  mov eax, [fl_src]
  mov eax, [eax + 4 * ecx]
  mov edx, [fl_dst]
  mov ecx, [fl_k]
  mov [edx + 4 * ecx], eax
  inc dword [fl_k]
  jmp .merge
.pass_done:
  mov eax, [fl_src]
  mov edx, [fl_dst]
  mov [fl_src], edx
  mov [fl_dst], eax
  shl dword [fl_w], 1
  jmp .pass
.sorted:
  ; Each run of equal keys down to its last pair, in place: k counts the
  ; pairs kept.
  mov dword [fl_i], 0
  mov dword [fl_k], 0
.dedup:
  mov ecx, [fl_i]
  cmp ecx, [fl_n]
  jae .deduped
  inc ecx
  cmp ecx, [fl_n]
  jae .keep
  PAIR_KEY eax, ecx
  dec ecx
  PAIR_KEY edx, ecx
  call xb_compare_exact
  test eax, eax
  jz .dedup_next                    ; the next pair has the same key
.keep:
  mov ecx, [fl_i]
  mov edx, [fl_src]
  mov eax, [edx + 4 * ecx]
  mov ecx, [fl_k]
  mov [edx + 4 * ecx], eax
  inc dword [fl_k]
.dedup_next:
  inc dword [fl_i]
  jmp .dedup
.deduped:
  ; The keys tuple at HTOP, the map after it.
  mov eax, [fl_k]
  mov edx, esi
  lea edi, [esi + 4 * eax + 4]      ; the map
  call map_headers
  mov ecx, [fl_k]
  mov edx, [fl_src]
  xor ebx, ebx
.write:
  cmp ebx, ecx
  jae .written
  mov eax, [edx + 4 * ebx]          ; the pair
  push ecx
  mov ecx, [eax - TAG_BOXED + 4]
  mov [esi + 4 + 4 * ebx], ecx      ; its key
  mov ecx, [eax - TAG_BOXED + 8]
  mov [edi + 12 + 4 * ebx], ecx     ; its value
  pop ecx
  inc ebx
  jmp .write
.written:
  lea eax, [edi + TAG_BOXED]
  lea esi, [edi + 4 * ecx + 12]
  mov [xb_xregs], eax
  ret
.badarg:
  mov eax, ATOM_badarg
  mov [xb_xregs], eax
  ret
