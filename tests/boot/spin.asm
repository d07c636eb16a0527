; tests/boot/spin.asm — xb_main never returns, never exits.
;
; Out: nothing; the launcher's timeout has to end it.

bits 32
global xb_main

section .text
xb_main:
        jmp     xb_main
