; tests/boot/floor.asm — the floor of the boot benchmark (bench/boot.ts):
; an image that prints one line and exits, with the platform layer alone
; and no runtime.  Whatever a real image takes beyond this to its first
; line is xbeam's own start-up.
bits 32
global xb_main
extern plat_write

section .rodata
line:           db "floor", 10
line_len        equ $ - line

section .text
xb_main:
        push    line_len
        push    line
        call    plat_write
        add     esp, 8
        xor     eax, eax
        ret
