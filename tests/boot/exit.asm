; tests/boot/exit.asm — xb_main calls plat_exit(STATUS) and must not return.
;
; In:  STATUS, from the command line: nasm -DSTATUS=42.
; Out: status STATUS; "returned" on stdout if plat_exit ever came back.

bits 32
global xb_main
extern plat_exit, plat_write

section .rodata
returned:       db "returned", 10

section .text
xb_main:
        push    STATUS
        call    plat_exit
        push    9
        push    returned
        call    plat_write
        mov     eax, 99
        ret
