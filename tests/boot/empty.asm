; tests/boot/empty.asm — the smallest program: xb_main returns 0.
;
; Out: status 0, nothing on either console.  The baseline of bench/boot.ts:
; what booting the platform alone costs.

bits 32
global xb_main

section .text
xb_main:
        xor     eax, eax
        ret
