; xen-boot/linux-entry.asm — the platform as a static i386 Linux program.
;
; In:  control at _start from the Linux kernel (a static ELF, no libc; runs
;      on x86-64 kernels through their 32-bit compatibility layer).
; Out: the platform interface of docs/platform.md — _start, plat_mem_start,
;      plat_mem_end, plat_write, plat_write_err, plat_exit, plat_monotonic_ns,
;      plat_realtime_ns, plat_sleep_until, plat_cpu_ns, plat_since_entry_ns
;      and plat_cmdline — and one call to the runtime's xb_main.
;
; Link with ld's default layout: `ld -m elf_i386 -o image OBJS...`.  This
; target exists so the runtime and the generated code can be run, traced
; and debugged as an ordinary process (gdb, strace, perf).

bits 32

global _start
global plat_mem_start, plat_mem_end
global plat_write, plat_write_err, plat_exit, plat_monotonic_ns, plat_sleep_until, plat_realtime_ns, plat_cpu_ns
global plat_since_entry_ns, plat_cmdline
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
CLOCK_PROCESS_CPUTIME_ID equ 2
CMDLINE_MAX             equ 4092        ; bytes of the command line kept (the rest is cut)

HEAP_SIZE               equ 1024 << 20  ; the default; anonymous memory is backed lazily: reserving is cheap
MAX_HEAP_MIB            equ 3072        ; XBEAM_MEMORY_MB is clamped to [64, this]
; A hint, not MAP_FIXED: where the range is free (it is in a fresh static
; program) the kernel takes it, so heap addresses are the same in every run
; despite ASLR, which makes traces comparable.  Elsewhere the kernel picks.
HEAP_HINT               equ 0x10000000

; ============================================================================
; Data
; ============================================================================

section .data
vdso_clock_gettime: dd 0        ; __vdso_clock_gettime, or 0: system calls
vdso_bias:      dd 0
vdso_name:      db "__vdso_clock_gettime", 0
vdso_name_len   equ $ - vdso_name
plat_mem_start: dd 0
plat_mem_end:   dd 0
heap_size:      dd HEAP_SIZE
mem_var:        db "XBEAM_MEMORY_MB="
mem_var_len     equ $ - mem_var

section .rodata
msg_no_heap:    db "xbeam linux: mmap2 of the heap (XBEAM_MEMORY_MB, default 1024 MiB) failed", 10
msg_no_heap_len equ $ - msg_no_heap

section .bss
alignb 16
entry_ns:       resd 2          ; CLOCK_MONOTONIC at _start
plat_cmdline:   resd 1          ; the command line: its length, then its bytes
                resb CMDLINE_MAX
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
        ; 0. The heap's size from the environment (XBEAM_MEMORY_MB, as
        ;    QEMU's -m for pvh), and the kernel's vDSO, for clock_gettime
        ;    without a system call.
        mov     ebx, esp
        call    mem_from_env
        mov     ebx, esp
        call    vdso_init
        call    plat_monotonic_ns       ; time zero for plat_since_entry_ns
        mov     [entry_ns], eax
        mov     [entry_ns + 4], edx
        mov     ebx, esp
        call    cmdline_from_argv

        ; 1. Our own stack, the same size on both targets, so that a stack
        ;    overflow shows up here first, where it is easy to debug.
        mov     esp, boot_stack_top

        ; 2. The heap: 1 GiB of anonymous memory (unless the environment
        ;    says otherwise), page-aligned by mmap.
        mov     eax, SYS_MMAP2
        mov     ebx, HEAP_HINT
        mov     ecx, [heap_size]
        mov     edx, PROT_READ_WRITE
        mov     esi, MAP_PRIVATE_ANONYMOUS
        mov     edi, -1                 ; no file
        xor     ebp, ebp                ; offset, in pages
        int     0x80
        cmp     eax, -4095
        jae     .no_heap
        mov     [plat_mem_start], eax
        add     eax, [heap_size]
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

; cmdline_from_argv — in: ebx = the kernel's esp at entry (argc, argv...).
; plat_cmdline = argv[1..] joined by single spaces, as the pvh target's
; command line would be.   clobbers: eax ecx edx esi edi
cmdline_from_argv:
        mov     edi, plat_cmdline + 4
        lea     edx, [ebx + 8]          ; &argv[1]
.arg:   mov     esi, [edx]
        test    esi, esi
        jz      .end                    ; the NULL after the last
        lea     eax, [ebx + 8]
        cmp     edx, eax
        je      .copy                   ; (no space before the first)
        mov     eax, edi
        sub     eax, plat_cmdline + 4
        cmp     eax, CMDLINE_MAX
        jae     .end
        mov     byte [edi], ' '
        inc     edi
.copy:  mov     eax, edi
        sub     eax, plat_cmdline + 4
        cmp     eax, CMDLINE_MAX
        jae     .end
        lodsb
        test    al, al
        jz      .next
        stosb
        jmp     .copy
.next:  add     edx, 4
        jmp     .arg
.end:   mov     eax, edi
        sub     eax, plat_cmdline + 4
        mov     [plat_cmdline], eax
        ret

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
; plat_cpu_ns() -> edx:eax = CLOCK_PROCESS_CPUTIME_ID: the CPU time used.
; plat_since_entry_ns() -> edx:eax = CLOCK_MONOTONIC since _start (the
;   clock read after the vDSO lookup, the first thing _start does).
;   cdecl; clobbers eax ecx edx
plat_since_entry_ns:
        call    plat_monotonic_ns
        sub     eax, [entry_ns]
        sbb     edx, [entry_ns + 4]
        ret
plat_cpu_ns:
        push    ebx
        mov     ebx, CLOCK_PROCESS_CPUTIME_ID
        jmp     clock_ns
plat_realtime_ns:
        push    ebx
        mov     ebx, CLOCK_REALTIME
        jmp     clock_ns
plat_monotonic_ns:
        push    ebx
        mov     ebx, CLOCK_MONOTONIC
clock_ns:
        sub     esp, 8                  ; struct timespec { long tv_sec, tv_nsec }
        mov     eax, [vdso_clock_gettime]
        test    eax, eax
        jz      .syscall
        push    esp                     ; vDSO: clock_gettime(clock, &ts), cdecl
        push    ebx
        call    eax
        add     esp, 8
        jmp     .got
.syscall:
        mov     eax, SYS_CLOCK_GETTIME
        mov     ecx, esp
        int     0x80
.got:
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

; ============================================================================
; The heap's size
; ============================================================================

; mem_from_env — sets heap_size from XBEAM_MEMORY_MB=N (MiB, clamped to
; [64, MAX_HEAP_MIB]) when the environment has it.
;   in: ebx = the initial stack (argc, argv..., 0, envp..., 0, auxv...)
;   clobbers: eax ebx ecx edx esi edi
mem_from_env:
        mov     eax, [ebx]              ; argc
        lea     ebx, [ebx + 4 * eax + 8] ; past argv and its 0
.env:   mov     esi, [ebx]
        test    esi, esi
        jz      .done
        add     ebx, 4
        mov     edi, mem_var
        mov     ecx, mem_var_len
        repe    cmpsb
        jne     .env
        xor     eax, eax                ; the digits
.digit: movzx   edx, byte [esi]
        sub     edx, '0'
        cmp     edx, 9
        ja      .number
        imul    eax, eax, 10
        add     eax, edx
        cmp     eax, MAX_HEAP_MIB
        ja      .clamp_high
        inc     esi
        jmp     .digit
.clamp_high:
        mov     eax, MAX_HEAP_MIB
.number:
        cmp     eax, 64
        jae     .set
        mov     eax, 64
.set:   shl     eax, 20
        mov     [heap_size], eax
.done:  ret

; ============================================================================
; The vDSO
; ============================================================================

; vdso_init — finds __vdso_clock_gettime in the vDSO the kernel maps into
; every process (its address is in the auxiliary vector, AT_SYSINFO_EHDR),
; through the vDSO's dynamic symbol table.  Leaves vdso_clock_gettime at 0
; (system calls, then) when anything is missing.
;   in: ebx = the initial stack (argc, argv..., 0, envp..., 0, auxv...)
;   clobbers: eax ebx ecx edx esi edi
AT_SYSINFO_EHDR equ 33
PT_LOAD         equ 1
PT_DYNAMIC      equ 2
DT_HASH         equ 4
DT_STRTAB       equ 5
DT_SYMTAB       equ 6
vdso_init:
        mov     eax, [ebx]              ; argc
        lea     ebx, [ebx + 4 * eax + 8] ; past argv and its 0
.env:   cmp     dword [ebx], 0
        lea     ebx, [ebx + 4]
        jne     .env
.aux:   mov     eax, [ebx]
        test    eax, eax
        jz      .none
        cmp     eax, AT_SYSINFO_EHDR
        je      .found
        add     ebx, 8
        jmp     .aux
.found: mov     esi, [ebx + 4]          ; the vDSO's ELF header
        cmp     dword [esi], 0x464c457f ; "\x7fELF"
        jne     .none
        ; Program headers: the first PT_LOAD's vaddr (the load bias), PT_DYNAMIC.
        mov     edi, [esi + 28]         ; e_phoff
        add     edi, esi
        movzx   ecx, word [esi + 44]    ; e_phnum
        xor     edx, edx                ; the dynamic section
        mov     dword [vdso_bias], -1
.ph:    test    ecx, ecx
        jz      .ph_done
        mov     eax, [edi]              ; p_type
        cmp     eax, PT_LOAD
        jne     .not_load
        cmp     dword [vdso_bias], -1
        jne     .next_ph
        mov     eax, esi
        sub     eax, [edi + 8]          ; base - p_vaddr
        mov     [vdso_bias], eax
        jmp     .next_ph
.not_load:
        cmp     eax, PT_DYNAMIC
        jne     .next_ph
        mov     edx, [edi + 8]          ; p_vaddr (biased below)
.next_ph:
        add     edi, 32
        dec     ecx
        jmp     .ph
.ph_done:
        test    edx, edx
        jz      .none
        cmp     dword [vdso_bias], -1
        je      .none
        add     edx, [vdso_bias]
        ; DT_HASH (nchain: the number of symbols), DT_SYMTAB, DT_STRTAB.
        xor     esi, esi                ; symtab
        xor     edi, edi                ; strtab
        xor     ecx, ecx                ; hash
.dyn:   mov     eax, [edx]
        test    eax, eax
        jz      .dyn_done
        mov     ebx, [edx + 4]
        add     ebx, [vdso_bias]
        cmp     eax, DT_SYMTAB
        jne     .not_sym
        mov     esi, ebx
.not_sym:
        cmp     eax, DT_STRTAB
        jne     .not_str
        mov     edi, ebx
.not_str:
        cmp     eax, DT_HASH
        jne     .next_dyn
        mov     ecx, ebx
.next_dyn:
        add     edx, 8
        jmp     .dyn
.dyn_done:
        test    esi, esi
        jz      .none
        test    edi, edi
        jz      .none
        test    ecx, ecx
        jz      .none
        mov     ecx, [ecx + 4]          ; nchain = the number of symbols
        ; Each Elf32_Sym: name (offset in strtab), value, size, info, other, shndx.
.sym:   test    ecx, ecx
        jz      .none
        mov     eax, [esi]
        add     eax, edi
        push    esi
        push    edi
        push    ecx
        mov     esi, eax
        mov     edi, vdso_name
        mov     ecx, vdso_name_len
        repe    cmpsb
        pop     ecx
        pop     edi
        pop     esi
        je      .match
        add     esi, 16
        dec     ecx
        jmp     .sym
.match: mov     eax, [esi + 4]          ; st_value
        test    eax, eax
        jz      .none
        add     eax, [vdso_bias]
        mov     [vdso_clock_gettime], eax
.none:  ret
