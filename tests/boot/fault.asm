; tests/boot/fault.asm — an invalid opcode inside xb_main.
;
; Out: pvh: the platform's fault handler reports vector 6 with the eip of
;      the ud2 on stderr, status 1.  linux: the kernel's SIGILL.

bits 32
global xb_main, fault_here

section .text
xb_main:
fault_here:
        ud2
