; runtime-asm/start.asm — start-up, memory, the first process, the end.
;
; In:  the platform (xen-boot/) has set up a stack and filled
;      plat_mem_start/plat_mem_end, then calls xb_main (cdecl).
; Out: xb_main returns the exit status: 0 when the entry function returns;
;      xb_exit leaves from anywhere with a status.
;
;   plat_mem_start                                          plat_mem_end
;   | heap | spare heap | stack (grows down) | ... later blocks ... |
;     ^ all carved by xb_alloc, a bump allocator over the region

%include "macros.inc"

INITIAL_HEAP_WORDS equ 4096
STACK_BYTES        equ 16 << 20
STACK_RED_ZONE     equ 4096           ; room for runtime fragments' own pushes
REDUCTIONS         equ 4000

global xb_main, xb_exit, xb_alloc, xb_yield, xb_stack_overflow, xb_fatal
global xb_xregs, xb_proc, xb_boot_ns
extern plat_mem_start, plat_mem_end, plat_write_err, plat_monotonic_ns
extern xb_entry_point, xb_atoms_init

section .bss
alignb 16
xb_xregs:   resd MAX_XREGS
xb_proc:    resb PROCESS_SIZE
xb_free:    resd 1                  ; the bump allocator's next free byte
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
  mov eax, [plat_mem_start]
  mov [xb_free], eax
  call plat_monotonic_ns
  mov [xb_boot_ns], eax
  mov [xb_boot_ns + 4], edx
  call xb_atoms_init

  ; 1. The first process: heap, spare heap, stack.
  mov ebp, xb_proc
  mov eax, INITIAL_HEAP_WORDS * 4
  call xb_alloc
  mov [ebp + P_HEAP], eax
  mov esi, eax
  add eax, INITIAL_HEAP_WORDS * 4
  mov [ebp + P_HEND], eax
  mov dword [ebp + P_HEAP_WORDS], INITIAL_HEAP_WORDS
  mov eax, INITIAL_HEAP_WORDS * 4
  call xb_alloc
  mov [ebp + P_SPARE], eax
  mov dword [ebp + P_SPARE_WORDS], INITIAL_HEAP_WORDS
  mov eax, STACK_BYTES
  call xb_alloc
  lea ecx, [eax + STACK_RED_ZONE]
  mov [ebp + P_STACK_LIMIT], ecx
  add eax, STACK_BYTES
  mov [ebp + P_STACK_BASE], eax
  mov dword [ebp + P_FCALLS], REDUCTIONS
  mov dword [ebp + P_ID], (0 << PID_SHIFT) | TAG_PID

  ; 2. Run the entry function on the process's stack.
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

;; xb_alloc — in: eax = bytes; out: eax = a 16-byte aligned block; clobbers ecx.
;; Nothing is freed yet: heaps that a collection outgrows are left behind
;; (at most as much again as the largest heap; see docs/gc.md).
xb_alloc:
  mov ecx, [xb_free]
  add ecx, 15
  and ecx, ~15
  add eax, ecx
  jc .out_of_memory
  cmp eax, [plat_mem_end]
  ja .out_of_memory
  mov [xb_free], eax
  mov eax, ecx
  ret
.out_of_memory:
  mov eax, msg_oom
  mov edx, msg_oom_len
  jmp xb_fatal

;; xb_yield — called when the reductions run out; preserves all registers.
;; One process for now: it just starts a new time slice.
xb_yield:
  mov dword [ebp + P_FCALLS], REDUCTIONS
  ret

;; xb_stack_overflow — the stack reached its limit; does not return.
xb_stack_overflow:
  mov esp, [xb_c_esp]               ; a stack to report from
  mov eax, msg_stack
  mov edx, msg_stack_len
  ; falls through

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
msg_stack: db "xbeam: stack overflow", 10
msg_stack_len equ $ - msg_stack
