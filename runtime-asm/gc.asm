; runtime-asm/gc.asm — the per-process copying collector (Cheney).
;
; Roots are the live x registers and every word of the Erlang stack from the
; caller's return address up to P_STACK_BASE.  On the stack, a word whose
; low two bits are 00 is a return address (they are kept aligned) and is
; skipped; anything else is a term.  Live data is copied into the spare
; semi-space, which is then scanned word by word: a header word says how
; many words follow and whether they are terms (a tuple's elements, a fun's
; words) or raw data (bignum digits, float bits, binary bytes).
;
; A copied cons cell is marked by a head of 0 (no term is 0) and its tail
; then holds the new cell; a copied boxed object's header is replaced by the
; new boxed pointer (no header has the boxed tag).  Pointers outside the old
; heap (literals in the image) are left as they are.
%include "macros.inc"

global xb_gc
extern xb_alloc, xb_xregs

section .bss
gc_need:  resd 1
gc_live:  resd 1
gc_from:  resd 1                    ; old heap: [gc_from, gc_from_end)
gc_from_end: resd 1
gc_target: resd 1                   ; size of the to-space in words

section .text

;; xb_gc — in: eax = words needed, ecx = live x registers.
;;         out: at least eax words free above HTOP (esi).
;;         clobbers eax ebx ecx edx edi.
;; The stack above the caller's frame must hold only terms and aligned
;; return addresses: fragments that call this keep their state in memory.
xb_gc:
  mov [gc_need], eax
  mov [gc_live], ecx
  inc dword [ebp + P_GC_COUNT]
  mov eax, [ebp + P_HEAP]
  mov [gc_from], eax
  mov [gc_from_end], esi

  ; 1. The to-space: as large as the heap, which can hold everything live;
  ;    when the last collection left the heap crowded, twice the heap or
  ;    twice what is used now, whichever is more.  Semi-spaces are kept the
  ;    same size, so a spare that is too small is replaced.
  mov eax, esi
  sub eax, [ebp + P_HEAP]
  shr eax, 2
  add eax, [gc_need]                ; eax = used + need (words)
  mov ecx, [ebp + P_HEAP_WORDS]
  cmp dword [ebp + P_GC_GROW], 0
  je .sized
  cmp eax, ecx
  jae .double
  mov eax, ecx
.double:
  lea ecx, [2 * eax]
.sized:
  mov [gc_target], ecx              ; words in the to-space
  cmp ecx, [ebp + P_SPARE_WORDS]
  jbe .have_space
  mov [ebp + P_SPARE_WORDS], ecx
  lea eax, [4 * ecx]
  call xb_alloc
  mov [ebp + P_SPARE], eax
.have_space:
  mov edi, [ebp + P_SPARE]          ; edi = allocation pointer in to-space

  ; 2. Roots: x registers.
  xor ebx, ebx
.xregs:
  cmp ebx, [gc_live]
  jae .stack
  mov eax, [xb_xregs + 4 * ebx]
  call copy_term
  mov [xb_xregs + 4 * ebx], eax
  inc ebx
  jmp .xregs

  ; 3. Roots: the stack, from our return address up.
.stack:
  mov ebx, esp
.stack_word:
  cmp ebx, [ebp + P_STACK_BASE]
  jae .scan_start
  mov eax, [ebx]
  test eax, TAG_PRIMARY_MASK
  jz .stack_next                    ; a return address
  call copy_term
  mov [ebx], eax
.stack_next:
  add ebx, 4
  jmp .stack_word

  ; 4. Scan the to-space until the scan pointer meets the allocation pointer.
.scan_start:
  mov ebx, [ebp + P_SPARE]
.scan:
  cmp ebx, edi
  jae .done
  mov eax, [ebx]
  test eax, TAG_PRIMARY_MASK
  jnz .scan_term
  mov ecx, eax                      ; a header
  and ecx, HDR_SUBTAG_MASK
  jz .scan_tuple                    ; tuple: its elements are terms
  cmp ecx, HDR_FUN
  je .scan_tuple                    ; so are all the words of a fun
  shr eax, HDR_ARITY_SHIFT          ; raw data: skip it
  lea ebx, [ebx + 4 * eax + 4]
  jmp .scan
.scan_tuple:
  add ebx, 4
  jmp .scan
.scan_term:
  call copy_term
  mov [ebx], eax
  add ebx, 4
  jmp .scan

  ; 5. Swap the semi-spaces.  The old heap becomes the spare; if the heap
  ;    grew, the spare is smaller and the next collection replaces it.
.done:
  mov eax, [ebp + P_HEAP]
  mov ecx, [ebp + P_SPARE]
  mov [ebp + P_HEAP], ecx
  mov [ebp + P_SPARE], eax
  mov eax, [ebp + P_HEAP_WORDS]
  mov ecx, [ebp + P_SPARE_WORDS]
  mov [ebp + P_HEAP_WORDS], ecx
  mov [ebp + P_SPARE_WORDS], eax
  mov esi, edi
  mov eax, [ebp + P_HEAP]
  lea eax, [eax + 4 * ecx]
  mov [ebp + P_HEND], eax
  ; 6. Crowded (live + need above a quarter of the heap)?  Grow next time,
  ;    so that a collection copies the live data once per three times its
  ;    size allocated (the collector is not generational: everything live is
  ;    copied every time).  If the need does not fit at all, collect again
  ;    now, growing.
  mov eax, esi
  sub eax, [ebp + P_HEAP]
  shr eax, 2
  add eax, [gc_need]                ; live + need
  mov ebx, ecx                      ; crowded: 4 * (live + need) > words
  shl eax, 2
  xor edx, edx
  cmp eax, ebx
  seta dl
  mov [ebp + P_GC_GROW], edx
  mov ecx, [gc_need]
  lea eax, [esi + 4 * ecx]
  cmp eax, [ebp + P_HEND]
  ja .again
  ret
.again:
  mov eax, [gc_need]
  mov ecx, [gc_live]
  jmp xb_gc

;; copy_term — in: eax = term, edi = to-space allocation pointer;
;;             out: eax = the term in to-space, edi advanced.
;;             clobbers ecx edx.
copy_term:
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_LIST
  je .list
  cmp ecx, TAG_BOXED
  je .boxed
  ret                               ; an immediate
.list:
  lea edx, [eax - TAG_LIST]
  cmp edx, [gc_from]
  jb .outside
  cmp edx, [gc_from_end]
  jae .outside
  mov ecx, [edx]
  test ecx, ecx
  jnz .copy_cons
  mov eax, [edx + 4]                ; already copied: the tail holds the new cell
  ret
.copy_cons:
  mov [edi], ecx
  mov ecx, [edx + 4]
  mov [edi + 4], ecx
  lea eax, [edi + TAG_LIST]
  mov dword [edx], 0
  mov [edx + 4], eax
  add edi, 8
  ret
.boxed:
  lea edx, [eax - TAG_BOXED]
  cmp edx, [gc_from]
  jb .outside
  cmp edx, [gc_from_end]
  jae .outside
  mov ecx, [edx]
  mov eax, ecx
  and eax, TAG_PRIMARY_MASK
  cmp eax, TAG_BOXED
  jne .copy_boxed
  mov eax, ecx                      ; already copied: the header is the new pointer
  ret
.copy_boxed:
  push ebx
  shr ecx, HDR_ARITY_SHIFT
  inc ecx                           ; words, header included
  lea eax, [edi + TAG_BOXED]
  push eax
  xor ebx, ebx
.copy_word:
  mov eax, [edx + 4 * ebx]
  mov [edi + 4 * ebx], eax
  inc ebx
  cmp ebx, ecx
  jb .copy_word
  lea edi, [edi + 4 * ecx]
  pop eax
  mov [edx], eax                    ; forward the old object
  pop ebx
  ret
.outside:
  ret                               ; eax still holds the term
