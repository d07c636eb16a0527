; runtime-asm/start.asm — start-up, memory, the first process, the end.
;
; In:  the platform (xen-boot/) has set up a stack and filled
;      plat_mem_start/plat_mem_end, then calls xb_main (cdecl).
; Out: xb_main returns the exit status: 0 when the entry function returns;
;      xb_exit leaves from anywhere with a status.
;
;   plat_mem_start                                          plat_mem_end
;   | blocks of 2^k bytes: process structs, heaps, stacks ... | free |
;     ^ carved by xb_alloc from the region, or reused from its free lists

%include "macros.inc"

global xb_main, xb_exit, xb_alloc, xb_alloc_try, xb_free, xb_fatal, xb_out_of_memory
global xb_xregs, xb_boot_ns, xb_next
extern plat_mem_start, plat_mem_end, plat_write_err, plat_monotonic_ns
extern xb_entry_point, xb_new_process, xb_main_process, xb_sched_esp

MAIN_HEAP_WORDS equ 4096

section .bss
alignb 16
xb_xregs:   resd MAX_XREGS
xb_next:    resd 1                  ; the bump allocator's next free byte
free_lists: resd 32                 ; free small blocks of 2^k bytes, by k (singly linked)
big_lists: resd 32                  ; free big blocks, by k (doubly linked)
free_map:  resd 1                   ; a bit per 4 KiB from mem_base: a free big block starts there
mem_base:  resd 1                   ; where big blocks' offsets count from (4 KiB aligned)
xb_c_esp:   resd 1                  ; the platform's stack, for xb_exit
xb_boot_ns: resd 2                  ; plat_monotonic_ns at start: time 0 for Erlang

section .text

;; xb_main — cdecl, no arguments; returns the exit status in eax.
xb_main:
  push ebx
  push esi
  push edi
  push ebp
  mov [xb_c_esp], esp
  mov [xb_sched_esp], esp           ; the scheduler runs below it
  call xb_mem_init
  call plat_monotonic_ns
  mov [xb_boot_ns], eax
  mov [xb_boot_ns + 4], edx

  ; 1. The first process, with a roomier heap than the processes it spawns
  ;    (it runs the program; BEAM's first processes start bigger too).
  mov eax, MAIN_HEAP_WORDS / 2
  call xb_new_process
  mov [xb_main_process], eax
  mov ebp, eax
  mov dword [ebp + P_STATE], PS_RUNNING
  mov esi, [ebp + P_HTOP]

  ; 2. Run the entry function on its stack.  Other processes run when it
  ;    waits or its reductions run out; when it returns, the VM ends.
  mov esp, [ebp + P_STACK_BASE]
  CALLA xb_entry_point
  xor eax, eax
  ; falls through

;; xb_exit — in: eax = status; leaves xb_main with it.
xb_exit:
  mov esp, [xb_c_esp]
  pop ebp
  pop edi
  pop esi
  pop ebx
  ret

;; Memory: blocks of 2^k bytes (k >= 4, so 16-byte aligned).
;;
;; Big blocks (k >= BIG_K, 4 KiB and up) form a buddy system over the
;; region the platform hands over: each lies at an offset from mem_base
;; that is a multiple of its size, a freed one merges with its buddy (the
;; block its offset differs from in bit k) while that is free and whole,
;; and a request takes a free block of its size, else splits the smallest
;; larger one, else carves fresh memory at the bump pointer xb_next (kept
;; 4 KiB aligned; the gap that aligning leaves is freed as blocks).  A free
;; big block holds {next, prev, k} and has its bit set in free_map (one bit
;; per 4 KiB of the region, carved first), so a buddy's state is known
;; without trusting its contents.
;;
;; Small blocks (16 bytes to 2 KiB: process structs, small heaps and
;; stacks, timers) come from their own free lists, else from splitting a
;; larger small block or a fresh 4 KiB one; they are reused for their size
;; and do not merge.

BIG_K equ 12
MAX_K equ 31

;; size_class — in: eax = bytes (> 0).  out: ecx = k, the smallest with
;; 2^k >= eax and k >= 4.
%macro SIZE_CLASS 0
  lea ecx, [eax - 1]
  or ecx, 15
  bsr ecx, ecx
  inc ecx
%endmacro

;; xb_mem_init — the free map, carved from the region's start; mem_base
;; and xb_next after it, 4 KiB aligned.  clobbers eax ecx edx edi.
xb_mem_init:
  mov eax, [plat_mem_end]
  sub eax, [plat_mem_start]
  shr eax, BIG_K + 3                ; a bit per 4 KiB
  add eax, 4
  and eax, ~3
  mov ecx, eax
  shr ecx, 2
  mov edi, [plat_mem_start]
  add edi, 3
  and edi, ~3
  mov [free_map], edi
  xor eax, eax
  rep stosd
  lea eax, [edi + (1 << BIG_K) - 1]
  and eax, ~((1 << BIG_K) - 1)
  mov [mem_base], eax
  mov [xb_next], eax
  ret

;; xb_alloc — in: eax = bytes; out: eax = a 16-byte aligned block of at
;; least that many bytes; clobbers ecx.  Out of memory is fatal.
xb_alloc:
  push eax
  call xb_alloc_try
  test eax, eax
  jz .out_of_memory
  add esp, 4
  ret
.out_of_memory:
xb_out_of_memory:
  mov eax, msg_oom
  mov edx, msg_oom_len
  jmp xb_fatal

;; xb_alloc_try — the same, but out: eax = 0 when there is not enough.
xb_alloc_try:
  SIZE_CLASS
  cmp ecx, BIG_K
  jae big_alloc
  push edx
  mov edx, [free_lists + 4 * ecx]
  test edx, edx
  jz .split
  mov eax, [edx]                    ; the next free block of this size
  mov [free_lists + 4 * ecx], eax
  mov eax, edx
  pop edx
  ret
.split:
  ; A larger small block, else a big one of 4 KiB: this block (2^k) and
  ; free blocks of 2^k, 2^(k+1), ... up to the larger one's half, one
  ; after the other.
  push ebx
  mov ebx, ecx
.larger:
  inc ebx
  cmp ebx, BIG_K
  jae .fresh
  mov edx, [free_lists + 4 * ebx]
  test edx, edx
  jz .larger
  mov eax, [edx]
  mov [free_lists + 4 * ebx], eax   ; taken off its list
  jmp .split_it
.fresh:
  push ecx
  mov ecx, BIG_K
  call big_alloc
  pop ecx
  test eax, eax
  jz .nothing
  mov edx, eax
.split_it:
  mov eax, 1
  shl eax, cl                       ; eax = 2^k: the first remainder's offset and size
.split_step:
  cmp ecx, ebx
  jae .split_done
  push edx
  add edx, eax                      ; a remainder of 2^c bytes at base + 2^c
  push eax
  mov eax, [free_lists + 4 * ecx]
  mov [edx], eax
  mov [free_lists + 4 * ecx], edx
  pop eax
  pop edx
  shl eax, 1
  inc ecx
  jmp .split_step
.split_done:
  mov eax, edx
  pop ebx
  pop edx
  ret
.nothing:
  pop ebx
  pop edx
  xor eax, eax
  ret

;; big_alloc — in: ecx = k (BIG_K..MAX_K).  out: eax = a block of 2^k
;; bytes, or 0.  clobbers ecx.
big_alloc:
  push edx
  push ebx
  push esi
  cmp ecx, MAX_K
  ja .none
  ; 1. A free block of the size, else the smallest larger one, split.
  mov ebx, ecx
.find:
  mov eax, [big_lists + 4 * ebx]
  test eax, eax
  jnz .found
  inc ebx
  cmp ebx, MAX_K
  jbe .find
  jmp .carve
.found:
  call big_unlink                   ; eax = the block, 2^ebx bytes
.halve:
  cmp ebx, ecx
  je .done
  dec ebx                           ; its upper half is free
  mov edx, 1
  push ecx
  mov ecx, ebx
  shl edx, cl
  add edx, eax
  call big_link
  pop ecx
  jmp .halve
  ; 2. Fresh memory, at an offset that is a multiple of the size.
.carve:
  mov edx, 1
  shl edx, cl                       ; edx = 2^k
  mov eax, [xb_next]
  sub eax, [mem_base]
  lea esi, [edx - 1]
  add eax, esi
  jc .none
  not esi
  and eax, esi
  add eax, [mem_base]
  jc .none                          ; eax = the block
  mov esi, eax
  add esi, edx
  jc .none
  cmp esi, [plat_mem_end]
  ja .none
  mov esi, [xb_next]                ; the gap below it, freed in blocks
  push eax
  add edx, eax
  mov [xb_next], edx
  mov edx, esi
.gap:
  cmp edx, [esp]
  jae .gap_done
  ; The largest block at edx that its offset allows and the gap holds.
  mov esi, edx
  sub esi, [mem_base]
  bsf ecx, esi                      ; (edx > mem_base: esi is not 0)
  mov ebx, [esp]
  sub ebx, edx
  bsr ebx, ebx
  cmp ecx, ebx
  jbe .piece
  mov ecx, ebx
.piece:
  push edx
  mov eax, edx
  call big_free
  pop edx
  mov eax, 1
  shl eax, cl
  add edx, eax
  jmp .gap
.gap_done:
  pop eax
.done:
  pop esi
  pop ebx
  pop edx
  ret
.none:
  xor eax, eax
  jmp .done

;; big_free — in: eax = a block of 2^ecx bytes (ecx >= BIG_K).  Merges it
;; with its buddy while that is free and whole, and puts it on its list.
;; clobbers eax ebx ecx edx.  (ecx is kept: big_alloc's gap needs it.)
big_free:
  push ecx
.merge:
  cmp ecx, MAX_K
  jae .keep
  mov edx, eax
  sub edx, [mem_base]
  mov ebx, 1
  shl ebx, cl
  xor edx, ebx
  add edx, [mem_base]               ; edx = the buddy
  cmp edx, [xb_next]
  jae .keep                         ; not carved yet
  call map_test
  jz .keep
  cmp [edx + 8], ecx
  jne .keep                         ; free, but split: not whole
  push eax
  mov eax, edx
  mov ebx, ecx
  call big_unlink
  pop eax
  cmp edx, eax
  jae .merged
  mov eax, edx
.merged:
  inc ecx
  jmp .merge
.keep:
  mov edx, eax
  mov ebx, ecx
  call big_link
  pop ecx
  ret

;; big_link — in: edx = a free block of 2^ebx bytes: on its list, marked.
;; clobbers nothing else.
big_link:
  push eax
  mov eax, [big_lists + 4 * ebx]
  mov [edx], eax                    ; next
  mov dword [edx + 4], 0            ; prev
  mov [edx + 8], ebx                ; k
  test eax, eax
  jz .first
  mov [eax + 4], edx
.first:
  mov [big_lists + 4 * ebx], edx
  mov eax, edx
  call map_flip
  pop eax
  ret

;; big_unlink — in: eax = a free block of 2^ebx bytes: off its list,
;; unmarked.  clobbers nothing else.
big_unlink:
  push edx
  push ecx
  mov edx, [eax]                    ; next
  mov ecx, [eax + 4]                ; prev
  test ecx, ecx
  jz .head
  mov [ecx], edx
  jmp .next
.head:
  mov [big_lists + 4 * ebx], edx
.next:
  test edx, edx
  jz .unlinked
  mov [edx + 4], ecx
.unlinked:
  pop ecx
  pop edx
  call map_flip
  ret

;; map_test — in: edx = a big block's address.  out: ZF clear when it is
;; marked free.  clobbers nothing.
map_test:
  push eax
  push ecx
  mov eax, edx
  sub eax, [mem_base]
  shr eax, BIG_K
  mov ecx, [free_map]
  bt [ecx], eax
  setc al
  test al, al
  pop ecx
  pop eax
  ret

;; map_flip — in: eax = a big block's address: its mark toggled.
;; clobbers nothing.
map_flip:
  push eax
  push ecx
  sub eax, [mem_base]
  shr eax, BIG_K
  mov ecx, [free_map]
  btc [ecx], eax
  pop ecx
  pop eax
  ret

;; xb_free — in: eax = a block from xb_alloc, ecx = the size asked for.
;; clobbers eax ecx.
xb_free:
  push eax
  mov eax, ecx
  SIZE_CLASS
  pop eax
  push edx
  cmp ecx, BIG_K
  jae .big
  mov edx, [free_lists + 4 * ecx]
  mov [eax], edx
  mov [free_lists + 4 * ecx], eax
  pop edx
  ret
.big:
  push ebx
  call big_free
  pop ebx
  pop edx
  ret

;; xb_fatal — in: eax = message, edx = its length; prints it and exits 1.
xb_fatal:
  mov esp, [xb_c_esp]
  push edx
  push eax
  call plat_write_err
  add esp, 8
  mov eax, 1
  jmp xb_exit

section .rodata
msg_oom: db "xbeam: out of memory", 10
msg_oom_len equ $ - msg_oom
