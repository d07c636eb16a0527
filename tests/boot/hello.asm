; tests/boot/hello.asm — exercises every platform symbol once.
;
; In:  the platform interface (docs/platform.md), either target.
; Out: stdout "hello\nmem ok\ntime ok\n" ("mem BAD" / "time BAD" on a
;      failed check), stderr "to stderr\n", status 3 (returned from
;      xb_main, so _start's exit path is what is tested).
;   mem ok:  plat_mem_start and plat_mem_end page-aligned, at least 64 MiB apart.
;   time ok: plat_monotonic_ns advanced across a short busy loop.

bits 32
global xb_main
extern plat_write, plat_write_err, plat_mem_start, plat_mem_end, plat_monotonic_ns

%macro WRITE 2                  ; WRITE function, label: label_len bytes at label
        push    %2_len
        push    %2
        call    %1
        add     esp, 8
%endmacro

section .rodata
hello:          db "hello", 10
hello_len       equ $ - hello
mem_ok:         db "mem ok", 10
mem_ok_len      equ $ - mem_ok
mem_bad:        db "mem BAD", 10
mem_bad_len     equ $ - mem_bad
time_ok:        db "time ok", 10
time_ok_len     equ $ - time_ok
time_bad:       db "time BAD", 10
time_bad_len    equ $ - time_bad
to_err:         db "to stderr", 10
to_err_len      equ $ - to_err

section .text
xb_main:
        push    ebx
        push    esi
        push    edi
        WRITE   plat_write, hello

        mov     eax, [plat_mem_start]
        mov     ecx, [plat_mem_end]
        mov     edx, eax
        or      edx, ecx
        test    edx, 0xfff
        jnz     .mem_bad
        sub     ecx, eax
        jb      .mem_bad
        cmp     ecx, 64 << 20
        jb      .mem_bad
        WRITE   plat_write, mem_ok
        jmp     .time
.mem_bad:
        WRITE   plat_write, mem_bad

.time:  call    plat_monotonic_ns
        mov     esi, eax                ; ebx, esi, edi survive the calls (cdecl)
        mov     edi, edx
        mov     ecx, 10000              ; ~10 ms under a software KVM, 50 us under TCG
.spin:  dec     ecx
        jnz     .spin
        call    plat_monotonic_ns
        sub     eax, esi
        sbb     edx, edi                ; later - earlier must be > 0
        jb      .time_bad
        or      eax, edx
        jz      .time_bad
        WRITE   plat_write, time_ok
        jmp     .err
.time_bad:
        WRITE   plat_write, time_bad

.err:   WRITE   plat_write_err, to_err
        mov     eax, 3
        pop     edi
        pop     esi
        pop     ebx
        ret
