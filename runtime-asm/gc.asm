; runtime-asm/gc.asm — the per-process copying collector (Cheney).
;
; Roots are the live x registers, every word of the Erlang stack from the
; caller's return address up to P_STACK_BASE, and the process struct's term
; fields (P_ROOTS_FIRST..P_ROOTS_END: message queue, dictionary, ...).  On the stack, a word whose
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

global xb_gc, xb_gc_other, xb_gc_stats, xb_fun_refc_1, xb_gc_process_1
extern xb_refc_release
extern xb_alloc, xb_alloc_try, xb_free, xb_xregs, xb_heap_limit, xb_out_of_memory, xb_procs, xb_raise_atom, xb_process_lookup

section .bss
gc_need:  resd 1
gc_live:  resd 1
gc_stack: resd 1                    ; the lowest stack word to scan
gc_from:  resd 1                    ; old heap: [gc_from, gc_from_end)
gc_from_end: resd 1
gc_target: resd 1                   ; size of the to-space in words
gc_to:    resd 1                    ; the to-space
gc_own:   resd 1                    ; 1: the running process (xb_gc); 0: another
xb_gc_stats: resd 3                 ; collections, words reclaimed (low, high): every process
gc_fallback: resd 1                 ; 1 after a collection into a smaller to-space than asked for
gc_mso:   resd 1                    ; the ProcBins copied so far, chained
gc_mso_bytes: resd 1                ;   and their bytes
refc_index: resd 1                  ; xb_fun_refc_1: the lambda's index, the count
refc_count: resd 1

section .text

;; xb_gc — collect the running process.
;;   in:  eax = words needed, ecx = live x registers.
;;   out: at least eax words free above HTOP (esi).
;;   clobbers eax ebx ecx edx edi.
;; The stack above the caller's frame must hold only terms and aligned
;; return addresses: fragments that call this keep their state in memory.
xb_gc:
  mov [gc_need], eax
  mov [gc_live], ecx
  mov [gc_stack], esp               ; our own (aligned) return address and up
  mov dword [gc_own], 1
  jmp collect

;; xb_gc_other — collect a process that is not running (to make room for
;; a message or a monitor in its heap).  Its x registers are saved on its
;; stack, which starts at P_ESP.
;;   in:  edx = the process, eax = words needed.
;;   out: at least eax words free above its P_HTOP.
;;   clobbers eax ebx ecx edx edi.
xb_gc_other:
  push ebp
  push esi
  mov ebp, edx
  mov esi, [ebp + P_HTOP]
  mov [gc_need], eax
  mov dword [gc_live], 0
  mov eax, [ebp + P_ESP]
  mov [gc_stack], eax
  mov dword [gc_own], 0
  call collect
  mov [ebp + P_HTOP], esi
  pop esi
  pop ebp
  ret

;; collect — the collector proper.  in: ebp = the process, esi = its heap
;; top, gc_need, gc_live, gc_stack.  out: esi.  clobbers eax ebx ecx edx edi.
collect:
  inc dword [ebp + P_GC_COUNT]
  mov eax, [ebp + P_HEAP]
  mov [gc_from], eax
  mov [gc_from_end], esi

  ; 1. The to-space: as large as the heap, which can hold everything live;
  ;    when the last collection left the heap crowded, twice the heap or
  ;    twice what is used now, whichever is more.  The old heap is freed
  ;    afterwards, so an idle process holds one heap, not two.
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
  cmp dword [gc_own], 0             ; the running process may not outgrow its
  je .alloc                         ; max_heap_size, nor memory: it dies of it
  mov eax, [ebp + P_MAX_HEAP]
  test eax, eax
  jz .alloc
  cmp ecx, eax
  ja .too_big
.alloc:
  lea eax, [4 * ecx]
  call xb_alloc_try
  test eax, eax
  jz .no_memory
  mov [gc_to], eax
  mov edi, eax                      ; edi = allocation pointer in to-space
  mov dword [gc_mso], 0
  mov dword [gc_mso_bytes], 0

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

  ; 3. Roots: the stack, from gc_stack up.
.stack:
  mov ebx, [gc_stack]
.stack_word:
  cmp ebx, [ebp + P_STACK_BASE]
  jae .fields
  mov eax, [ebx]
  test eax, TAG_PRIMARY_MASK
  jz .stack_next                    ; a return address
  call copy_term
  mov [ebx], eax
.stack_next:
  add ebx, 4
  jmp .stack_word

  ; 4. Roots: the process struct's term fields (message queue, dictionary,
  ;    monitors, links, ...).
.fields:
  mov ebx, P_ROOTS_FIRST
.field:
  cmp ebx, P_ROOTS_END
  jae .scan_start
  mov eax, [ebp + ebx]
  call copy_term
  mov [ebp + ebx], eax
  add ebx, 4
  jmp .field

  ; 5. Scan the to-space until the scan pointer meets the allocation pointer.
.scan_start:
  mov ebx, [gc_to]
.scan:
  cmp ebx, edi
  jae .done
  mov eax, [ebx]
  test eax, TAG_PRIMARY_MASK
  jnz .scan_term
  mov ecx, eax                      ; a header
  HOLDS_TERMS_JUMP ecx, .scan_tuple ; terms: scan them as the scan goes on
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

  ; 6. Reference-counted binaries: the ProcBins not copied are garbage,
  ;    and so is their reference; the copies are the heap's chain now.
  ;    The allowance of new ones until the next collection is as much as
  ;    survived (at least BEAM's minimum).
.done:
  push edi
  mov ebx, [ebp + P_MSO]
.mso:
  test ebx, ebx
  jz .mso_done
  mov eax, [ebx]
  and eax, TAG_PRIMARY_MASK
  cmp eax, TAG_BOXED                ; forwarded: it lives on
  mov eax, [ebx + PB_VAL]
  mov ebx, [ebx + PB_NEXT]
  je .mso
  call xb_refc_release
  jmp .mso
.mso_done:
  pop edi
  mov eax, [gc_mso]
  mov [ebp + P_MSO], eax
  mov dword [ebp + P_BIN_VHEAP], 0
  mov eax, [gc_mso_bytes]
  cmp eax, BIN_VHEAP_MIN
  jae .vlimit
  mov eax, BIN_VHEAP_MIN
.vlimit:
  mov [ebp + P_BIN_VLIMIT], eax
  ; 7. Free the old heap; the to-space becomes the heap.
  inc dword [xb_gc_stats]
  mov eax, [gc_from_end]            ; words reclaimed: used before - live after
  sub eax, [gc_from]
  sub eax, edi
  add eax, [gc_to]
  sar eax, 2
  add [xb_gc_stats + 4], eax
  adc dword [xb_gc_stats + 8], 0
  mov eax, [ebp + P_HEAP]
  mov ecx, [ebp + P_HEAP_WORDS]
  shl ecx, 2
  call xb_free
  mov eax, [gc_to]
  mov [ebp + P_HEAP], eax
  mov ecx, [gc_target]
  mov [ebp + P_HEAP_WORDS], ecx
  lea eax, [eax + 4 * ecx]
  mov [ebp + P_HEND], eax
  mov esi, edi
  ; 8. Crowded (live + need above a quarter of the heap)?  Grow next time,
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
  mov dword [gc_fallback], 0
  ret
.again:
  cmp dword [gc_fallback], 0
  je collect
  mov dword [gc_fallback], 0
  mov eax, [ebp + P_HEAP_WORDS]
  add eax, [gc_need]
  mov [gc_target], eax
  jmp .none
.no_memory:
  ; Not that much memory.  Blocks are powers of two: the next smaller one,
  ; while it holds what is used and the need (so all that is live, and
  ; the need).  Then a to-space as large as the heap, which holds
  ; everything live whatever the heap holds, if that is less; should the
  ; need still not fit after that, the process dies (no collecting again).
  mov eax, [gc_from_end]
  sub eax, [gc_from]
  shr eax, 2
  add eax, [gc_need]                ; eax = used + need
  mov ecx, [gc_target]
  lea ecx, [4 * ecx - 1]
  bsr ecx, ecx
  sub ecx, 2
  mov edx, 1
  shl edx, cl                       ; edx = the words of the next smaller block
  cmp edx, eax
  jb .as_large
  cmp edx, [gc_target]
  jae .as_large
  mov ecx, edx
  mov [gc_target], ecx
  jmp .alloc
.as_large:
  mov ecx, [ebp + P_HEAP_WORDS]
  cmp ecx, [gc_target]
  jae .none
  mov [gc_target], ecx
  mov dword [gc_fallback], 1
  jmp .alloc
.none:
  cmp dword [gc_own], 0
  je xb_out_of_memory              ; (collecting another process: fatal)
.too_big:
  mov eax, [gc_target]
  jmp xb_heap_limit                 ; the process dies; never returns

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
  mov eax, [edx]
  PROCBIN_JUMP eax, .procbin
.copied:
  lea edi, [edi + 4 * ecx]
  pop eax
  mov [edx], eax                    ; forward the old object
  pop ebx
  ret
.procbin:                           ; chained afresh
  mov eax, [gc_mso]
  mov [edi + PB_NEXT], eax
  mov [gc_mso], edi
  mov eax, [edi + PB_SIZE]          ; (bits, for REFC_BITS: counted high)
  add [gc_mso_bytes], eax
  jmp .copied
.outside:
  ret                               ; eax still holds the term

;; erlang:garbage_collect/0: a collection of the running process now; true.
global xb_erl_garbage_collect_0
xb_erl_garbage_collect_0:
  xor eax, eax
  xor ecx, ecx
  CALLA xb_gc
  mov dword [xb_xregs], ATOM_true
  ret

;; xbeam:gc_process(Pid) — collect another process that is alive and not
;; running (erlang:garbage_collect/1,2 of a pid; runtime-erl/xbeam_bifs.erl
;; collects the running one itself): true, or false when there is none.
xb_gc_process_1:
  mov eax, [xb_xregs]
  call xb_process_lookup
  test eax, eax
  jz .none
  cmp eax, ebp
  je .none
  cmp dword [eax + P_STATE], PS_EXITING
  je .none
  mov edx, eax
  xor eax, eax
  call xb_gc_other
  mov dword [xb_xregs], ATOM_true
  ret
.none:
  mov dword [xb_xregs], ATOM_false
  ret

;; xbeam:fun_refc(F) — what BEAM's erlang:fun_info(F, refc) counts for a
;; local fun: one for the code, and one for every fun object made from the
;; same lambda that is on a heap, alive or not yet collected (BEAM drops
;; an object from the count when a collection finds it dead).  Every
;; process's heap is walked object by object (a header says how many
;; words follow).  badarg for anything but a local fun.
xb_fun_refc_1:
  mov eax, [xb_xregs]
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_BOXED
  jne .badarg
  mov ecx, [eax - TAG_BOXED]
  and ecx, HDR_SUBTAG_MASK
  cmp ecx, HDR_FUN
  jne .badarg
  mov eax, [eax - TAG_BOXED + 4]    ; the lambda's index (a small integer)
  mov [refc_index], eax
  mov dword [refc_count], 1
  mov ebx, [ebp + P_HEAP]
  mov edx, esi
  call count_funs
  xor edi, edi
.slot:
  cmp edi, MAX_PROCESSES
  jae .done
  mov edx, [xb_procs + 4 * edi]
  test edx, edx
  jz .next
  cmp edx, ebp
  je .next
  cmp dword [edx + P_STATE], PS_EXITING
  je .next
  mov ebx, [edx + P_HEAP]
  mov edx, [edx + P_HTOP]
  call count_funs
.next:
  inc edi
  jmp .slot
.done:
  mov eax, [refc_count]
  TAG_SMALL_INT eax
  mov [xb_xregs], eax
  ret
.badarg:
  mov eax, ATOM_badarg
  jmp xb_raise_atom

;; count_funs — the funs of lambda [refc_index] in the heap [ebx, edx),
;; added to [refc_count].  clobbers eax ebx ecx.
count_funs:
  cmp ebx, edx
  jae .end
  mov eax, [ebx]
  test eax, TAG_PRIMARY_MASK
  jnz .word                         ; a cons cell's word
  mov ecx, eax
  and ecx, HDR_SUBTAG_MASK
  cmp ecx, HDR_FUN
  jne .skip
  mov ecx, [ebx + 4]                ; (a fun has at least 3 words after its header)
  cmp ecx, [refc_index]
  jne .skip
  inc dword [refc_count]
.skip:
  shr eax, HDR_ARITY_SHIFT          ; the object's words
  lea ebx, [ebx + 4 * eax + 4]
  jmp count_funs
.word:
  add ebx, 4
  jmp count_funs
.end:
  ret
