; xen-boot/linux-entry.asm — the platform as a static i386 Linux program.
;
; In:  control at _start from the Linux kernel (a static ELF, no libc; runs
;      on x86-64 kernels through their 32-bit compatibility layer).
; Out: the platform interface of docs/platform.md — _start, plat_mem_start,
;      plat_mem_end, plat_write, plat_write_err, plat_exit, plat_monotonic_ns,
;      plat_realtime_ns and plat_sleep_until — and one call to the runtime's xb_main.
;
; Link with ld's default layout: `ld -m elf_i386 -o image OBJS...`.  This
; target exists so the runtime and the generated code can be run, traced
; and debugged as an ordinary process (gdb, strace, perf).

bits 32

global _start
global plat_mem_start, plat_mem_end
global plat_write, plat_write_err, plat_exit, plat_monotonic_ns, plat_sleep_until, plat_realtime_ns
extern xb_main                  ; the runtime: int xb_main(void), cdecl

; ============================================================================
; Constants: i386 system calls (int 0x80: eax = number, ebx ecx edx esi
; edi ebp = arguments, eax = result, -4095..-1 = -errno)
; ============================================================================

SYS_WRITE               equ 4
SYS_MMAP2               equ 192
SYS_EXIT_GROUP          equ 252
SYS_CLOCK_GETTIME       equ 265     ; 32-bit timespec: fine for CLOCK_MONOTONIC (uptime)
SYS_CLOCK_NANOSLEEP     equ 267
TIMER_ABSTIME           equ 1
EINTR                   equ 4
EAGAIN                  equ 11

PROT_READ_WRITE         equ 3
MAP_PRIVATE_ANONYMOUS   equ 0x22
CLOCK_REALTIME          equ 0
CLOCK_MONOTONIC         equ 1

HEAP_SIZE               equ 256 << 20   ; anonymous memory is backed lazily: reserving is cheap
; A hint, not MAP_FIXED: where the range is free (it is in a fresh static
; program) the kernel takes it, so heap addresses are the same in every run
; despite ASLR, which makes traces comparable.  Elsewhere the kernel picks.
HEAP_HINT               equ 0x10000000

; ============================================================================
; Data
; ============================================================================

section .data
plat_mem_start: dd 0
plat_mem_end:   dd 0

section .rodata
msg_no_heap:    db "xbeam linux: mmap2 of 256 MiB for the heap failed", 10
msg_no_heap_len equ $ - msg_no_heap

section .bss
alignb 16
boot_stack:     resb 64 * 1024
boot_stack_top:

section .text

; ============================================================================
; Entry
;
; The kernel hands over: esp = argc, argv..., envp..., auxv (ignored), all
; other registers zero.
; ============================================================================

_start:
        ; 1. Our own stack, the same size on both targets, so that a stack
        ;    overflow shows up here first, where it is easy to debug.
        mov     esp, boot_stack_top

        ; 2. The heap: 256 MiB of anonymous memory, page-aligned by mmap.
        mov     eax, SYS_MMAP2
        mov     ebx, HEAP_HINT
        mov     ecx, HEAP_SIZE
        mov     edx, PROT_READ_WRITE
        mov     esi, MAP_PRIVATE_ANONYMOUS
        mov     edi, -1                 ; no file
        xor     ebp, ebp                ; offset, in pages
        int     0x80
        cmp     eax, -4095
        jae     .no_heap
        mov     [plat_mem_start], eax
        add     eax, HEAP_SIZE
        mov     [plat_mem_end], eax

        ; 3. The runtime.  Its return value is the exit status.
        call    xb_main
        push    eax
        call    plat_exit

.no_heap:
        push    msg_no_heap_len
        push    msg_no_heap
        call    plat_write_err
        push    1
        call    plat_exit

; ============================================================================
; Console
; ============================================================================

; plat_write(const char *buf, int len) — fd 1.   cdecl; clobbers eax ecx edx
plat_write:
        push    ebx
        mov     ebx, 1
        jmp     write_all

; plat_write_err(const char *buf, int len) — fd 2.   cdecl; clobbers eax ecx edx
plat_write_err:
        push    ebx
        mov     ebx, 2
        ; fall through

; write_all — the shared tail of both: ebx = fd, caller's ebx pushed.
; Loops on short writes, retries EINTR and EAGAIN (a non-blocking fd
; inherited from the parent), gives up on any other error.
write_all:
        mov     ecx, [esp + 8]          ; buf
        mov     edx, [esp + 12]         ; len
.more:  test    edx, edx
        jle     .done
        mov     eax, SYS_WRITE
        int     0x80
        cmp     eax, -EINTR
        je      .more
        cmp     eax, -EAGAIN
        je      .more
        test    eax, eax
        jle     .done
        add     ecx, eax
        sub     edx, eax
        jmp     .more
.done:  pop     ebx
        ret

; ============================================================================
; Exit
; ============================================================================

; plat_exit(int status) — never returns.
plat_exit:
        mov     ebx, [esp + 4]
        mov     eax, SYS_EXIT_GROUP
        int     0x80
        ud2                             ; exit_group does not fail

; ============================================================================
; Time
; ============================================================================

; plat_monotonic_ns() -> edx:eax = CLOCK_MONOTONIC in nanoseconds.
; plat_realtime_ns() -> edx:eax = CLOCK_REALTIME: since the epoch (the
;   32-bit timespec lasts until 2038).
;   cdecl; clobbers eax ecx edx
plat_realtime_ns:
        push    ebx
        mov     ebx, CLOCK_REALTIME
        jmp     clock_ns
plat_monotonic_ns:
        push    ebx
        mov     ebx, CLOCK_MONOTONIC
clock_ns:
        sub     esp, 8                  ; struct timespec { long tv_sec, tv_nsec }
        mov     eax, SYS_CLOCK_GETTIME
        mov     ecx, esp
        int     0x80
        mov     eax, [esp]
        mov     ecx, 1000000000
        mul     ecx                     ; seconds * 10^9
        add     eax, [esp + 4]
        adc     edx, 0
        add     esp, 8
        pop     ebx
        ret

; plat_sleep_until(lo, hi) — sleep until CLOCK_MONOTONIC reaches the time
; (in ns).  cdecl; clobbers eax ecx edx.
plat_sleep_until:
        push    ebx
        push    esi
        sub     esp, 8                  ; struct timespec
        mov     eax, [esp + 20]
        mov     edx, [esp + 24]
        cmp     edx, 1000000000         ; beyond 2^62 ns or so: as good as never
        jae     .far
        mov     ecx, 1000000000
        div     ecx
        mov     [esp], eax
        mov     [esp + 4], edx
        jmp     .sleep
.far:   mov     dword [esp], 0x7fffffff
        mov     dword [esp + 4], 0
.sleep: mov     eax, SYS_CLOCK_NANOSLEEP
        mov     ebx, CLOCK_MONOTONIC
        mov     ecx, TIMER_ABSTIME
        mov     edx, esp
        xor     esi, esi
        int     0x80
        cmp     eax, -EINTR
        je      .sleep
        add     esp, 8
        pop     esi
        pop     ebx
        ret
