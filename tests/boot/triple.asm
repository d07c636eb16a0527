; tests/boot/triple.asm — (pvh only) a fault with no IDT: a triple fault.
;
; Out: the VM resets; under -no-reboot QEMU stops with status 0 and no
;      guest exit status, which the launcher must report as a failure.

bits 32
global xb_main

section .rodata
no_idt: dw 0                    ; limit 0: every vector is out of bounds
        dd 0

section .text
xb_main:
        lidt    [no_idt]
        ud2                     ; #UD, then #GP, then #DF: each vector misses
