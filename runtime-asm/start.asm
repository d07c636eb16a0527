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
free_lists: resd 32                 ; free blocks of 2^k bytes, by k
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
  mov eax, [plat_mem_start]
  add eax, 15
  and eax, ~15
  mov [xb_next], eax
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

;; Memory: blocks of 2^k bytes (k >= 4, so 16-byte aligned), from free
;; lists by size, else carved from the region the platform hands over.
;; A freed block goes back on its list (no coalescing).

;; size_class — in: eax = bytes (> 0).  out: ecx = k, the smallest with
;; 2^k >= eax and k >= 4.
%macro SIZE_CLASS 0
  lea ecx, [eax - 1]
  or ecx, 15
  bsr ecx, ecx
  inc ecx
%endmacro

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
  push edx
  mov edx, [free_lists + 4 * ecx]
  test edx, edx
  jz .carve
  mov eax, [edx]                    ; the next free block of this size
  mov [free_lists + 4 * ecx], eax
  mov eax, edx
  pop edx
  ret
.carve:
  mov eax, 1
  shl eax, cl
  mov edx, [xb_next]
  add eax, edx
  jc .none
  cmp eax, [plat_mem_end]
  ja .none
  mov [xb_next], eax
  mov eax, edx
  pop edx
  ret
.none:
  ; No fresh memory: split the smallest larger free block.  A block of
  ; 2^m bytes is this block (2^k) and free blocks of 2^k, 2^(k+1), ...,
  ; 2^(m-1) bytes, one after the other.
  push ebx
  mov ebx, ecx
.larger:
  inc ebx
  cmp ebx, 32
  jae .nothing
  mov edx, [free_lists + 4 * ebx]
  test edx, edx
  jz .larger
  mov eax, [edx]
  mov [free_lists + 4 * ebx], eax   ; taken off its list
  mov eax, 1
  shl eax, cl                       ; eax = 2^k: the first remainder's offset and size
.split:
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
  jmp .split
.split_done:
  mov eax, edx
  pop ebx
  pop edx
  ret
.nothing:
  pop ebx
  xor eax, eax
  pop edx
  ret

;; xb_free — in: eax = a block from xb_alloc, ecx = the size asked for.
;; clobbers eax ecx.
xb_free:
  push eax
  mov eax, ecx
  SIZE_CLASS
  pop eax
  push edx
  mov edx, [free_lists + 4 * ecx]
  mov [eax], edx
  mov [free_lists + 4 * ecx], eax
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
