; xen-boot/pvh-entry.asm — start of day for the pvh target.
;
; In:  control at _start from a PVH boot loader: QEMU's (microvm + qboot)
;      today, Xen's later.  See "Entry" below for what it hands over.
; Out: the platform interface of docs/platform.md — _start, plat_mem_start,
;      plat_mem_end, plat_write, plat_write_err, plat_exit and
;      plat_monotonic_ns — and one call to the runtime's xb_main.
;
; Link with xen-boot/pvh.ld, which puts all of this in one PT_LOAD at
; physical 1 MiB, puts the Xen note in a PT_NOTE and defines _image_end.
; Paging stays off for the life of the image: addresses are physical.

bits 32

global _start
global plat_mem_start, plat_mem_end
global plat_write, plat_write_err, plat_exit, plat_monotonic_ns, plat_sleep_until, plat_realtime_ns
extern xb_main                  ; the runtime: int xb_main(void), cdecl
extern _image_end               ; pvh.ld: first page after the image, .bss included

; ============================================================================
; Constants
; ============================================================================

; hvm_start_info, the block ebx points at (Xen's public header
; arch-x86/hvm/start_info.h).  All addresses in it are 64-bit.
START_MAGIC             equ 0x336ec578
SI_MAGIC                equ 0
SI_VERSION              equ 4   ; the memory map exists from version 1 on
SI_MEMMAP_PADDR         equ 40
SI_MEMMAP_ENTRIES       equ 48
; hvm_memmap_table_entry: e820-style, 24 bytes each
MM_ADDR                 equ 0
MM_SIZE                 equ 8
MM_TYPE                 equ 16
MM_ENTRY_SIZE           equ 24
MM_TYPE_RAM             equ 1

MIN_HEAP                equ 64 << 20    ; the contract promises at least this much
FALLBACK_RAM_END        equ 64 << 20    ; RAM assumed when the loader gives no map
RAM_CAP                 equ 0xfffff000  ; paging off: nothing at or above 4 GiB is reachable

CR0_MP                  equ 1 << 1      ; control register bits for the FPU and SSE
CR0_EM                  equ 1 << 2
CR0_TS                  equ 1 << 3
CR0_NE                  equ 1 << 5
CR4_OSFXSR              equ 1 << 9
CR4_OSXMMEXCPT          equ 1 << 10

CODE_SEL                equ 0x08        ; selectors of our own GDT
DATA_SEL                equ 0x10

; Console and exit: QEMU devices the launcher (loader/vmm.ts) configures.
DEBUGCON                equ 0xe9        ; isa-debugcon: stdout, one byte per OUT, REP OUTSB works
COM1                    equ 0x3f8       ; 16550 UART: stderr
UART_IER                equ 1
UART_FCR                equ 2
UART_LCR                equ 3
UART_MCR                equ 4
UART_LSR                equ 5
LSR_THRE                equ 0x20        ; transmit holding register empty
DEBUG_EXIT              equ 0xf4        ; isa-debug-exit, iosize=4: QEMU exits with (v << 1) | 1

; Time.  The clock record has the pvclock layout (KVM's kvmclock and Xen's
; vcpu_time_info share it): ns = system_time + ((tsc - tsc_timestamp)
; shifted by tsc_shift) * tsc_to_system_mul >> 32.
PV_VERSION              equ 0           ; odd while the hypervisor rewrites the record
PV_TSC_TIMESTAMP        equ 8
PV_SYSTEM_TIME          equ 16
PV_MUL                  equ 24
PV_SHIFT                equ 28          ; signed byte: left shift if >= 0, else right
PV_SIZE                 equ 32

KVM_SIGNATURE_EBX       equ 0x4b4d564b  ; "KVMKVMKVM\0\0\0" in ebx, ecx, edx of leaf 0x40000000
KVM_SIGNATURE_ECX       equ 0x564b4d56
KVM_SIGNATURE_EDX       equ 0x0000004d
KVM_FEATURE_CLOCK2      equ 1 << 3      ; leaf 0x40000001 eax: MSR_KVM_SYSTEM_TIME_NEW exists
MSR_KVM_SYSTEM_TIME_NEW equ 0x4b564d01

PIT_CH0                 equ 0x40
PIT_CMD                 equ 0x43
PIT_HZ                  equ 1193182
; Calibration window: 2 ms, which every boot without kvmclock pays.  It
; measured within 0.04% of the true TSC rate under TCG and within 0.13%
; with KVM's PIT (docs/platform.md); 1 ms doubled the error.
CALIBRATE_TICKS         equ PIT_HZ / 500
NOMINAL_TSC_KHZ         equ 1000000     ; 1 GHz: the guess when there is nothing to calibrate against
PIC1_CMD                equ 0x20
PIC1_DATA               equ 0x21
PIC2_CMD                equ 0xa0
PIC2_DATA               equ 0xa1
IRQ_BASE                equ 32          ; the PICs' interrupts come at vectors 32..47
LAPIC_BASE              equ 0xfee00000
LAPIC_SVR               equ 0xf0
LAPIC_LINT0             equ 0x350
LAPIC_LINT1             equ 0x360
PIC_EOI                 equ 0x20
SLEEP_MAX_NS            equ 50000000    ; one PIT one-shot: under 65536 ticks (54.9 ms)

; ============================================================================
; PVH ELF note: tells the loader the 32-bit physical entry point
; ============================================================================

section .note.Xen note alloc noexec nowrite align=4
        dd 4                    ; name size: "Xen\0"
        dd 4                    ; descriptor size: one 32-bit address
        dd 18                   ; XEN_ELFNOTE_PHYS32_ENTRY
        db "Xen", 0
        dd _start

; ============================================================================
; Data
; ============================================================================

section .data align=16

plat_mem_start: dd 0
plat_mem_end:   dd 0

gdt:    dq 0
        dq 0x00cf9a000000ffff   ; CODE_SEL: base 0, limit 4 GiB, 32-bit, read/execute
        dq 0x00cf92000000ffff   ; DATA_SEL: base 0, limit 4 GiB, read/write
gdt_end:
gdt_desc:
        dw gdt_end - gdt - 1
        dd gdt

idt_desc:
        dw 48 * 8 - 1
        dd idt

; The clock plat_monotonic_ns reads: kvm_clock when KVM offers it, else
; tsc_clock, which clock_init fills from a PIT calibration.
clock_info:     dd tsc_clock

com1_ready:     db 0

exc_msg:        db "xbeam pvh: cpu exception 0x"
exc_vector:     db "........, error 0x"
exc_error:      db "........ at eip 0x"
exc_eip:        db "........", 10
exc_msg_len     equ $ - exc_msg

section .rodata

msg_no_map:     db "xbeam pvh: no memory map from the boot loader; assuming RAM ends at 64 MiB", 10
msg_no_map_len  equ $ - msg_no_map
msg_small:      db "xbeam pvh: less than 64 MiB of free RAM above the image; give the VM more memory", 10
msg_small_len   equ $ - msg_small
msg_no_clock:   db "xbeam pvh: no kvmclock and no PIT; the clock assumes a 1 GHz TSC", 10
msg_no_clock_len equ $ - msg_no_clock
hex_digits:     db "0123456789abcdef"

section .bss

alignb 4096
boot_stack:     resb 64 * 1024
boot_stack_top:

alignb 32                       ; a pvclock record must not cross a page
kvm_clock:      resb PV_SIZE
tsc_clock:      resb PV_SIZE
start_info:     resd 1          ; ebx at entry
idt:            resq 48
rtc_offset:     resd 2          ; the epoch's time minus the monotonic clock (ns)
rtc_f:          resd 3          ; seconds, minutes, hours being read
rtc_read:       resb 1
rtc_mode:       resb 1
have_pit:       resb 1          ; the TSC was calibrated against a PIT: plat_sleep_until halts

section .text

; ============================================================================
; Entry
;
; The PVH boot loader hands over (Xen's docs/misc/pvh.pandoc; QEMU follows
; it):
;   - 32-bit protected mode, paging off, flat 4 GiB code and data segments
;     already loaded, but GDTR and IDTR undefined;
;   - ebx = physical address of hvm_start_info (magic 0x336ec578; from
;     version 1 on it carries an e820-style memory map);
;   - esp undefined, interrupts: not to be relied on.
; ============================================================================

_start:
        ; 1. Nothing can take an interrupt yet; string instructions go up.
        ;    The FPU and SSE on (the runtime's floats are SSE2 doubles,
        ;    runtime-asm/float.asm): CR0 without EM (emulation) and TS
        ;    (task switched), with MP and NE; CR4 with OSFXSR (SSE
        ;    allowed) and OSXMMEXCPT; the x87 and MXCSR in their reset
        ;    state (round to nearest, every exception masked).
        cli
        cld
        mov     eax, cr0
        and     eax, ~(CR0_EM | CR0_TS)
        or      eax, CR0_MP | CR0_NE
        mov     cr0, eax
        mov     eax, cr4
        or      eax, CR4_OSFXSR | CR4_OSXMMEXCPT
        mov     cr4, eax
        fninit

        ; 2. Our own GDT (the loader's may live in memory we hand out),
        ;    segments reloaded from it, and the boot stack.
        lgdt    [gdt_desc]
        jmp     CODE_SEL:.flat
.flat:  mov     eax, DATA_SEL
        mov     ds, eax
        mov     es, eax
        mov     fs, eax
        mov     gs, eax
        mov     ss, eax
        mov     esp, boot_stack_top
        mov     [start_info], ebx

        ; 3. The TSC at boot: time zero for the calibrated clock.
        rdtsc
        mov     [tsc_clock + PV_TSC_TIMESTAMP], eax
        mov     [tsc_clock + PV_TSC_TIMESTAMP + 4], edx

        ; 4. An IDT, so that a fault prints where it happened instead of
        ;    triple-faulting the VM.
        call    idt_init

        ; 5. Free RAM for the runtime, from the loader's memory map.
        call    mem_init

        ; 6. The clock: kvmclock, or the TSC calibrated against the PIT.
        call    clock_init
        call    pic_init

        ; 7. The runtime.  Its return value is the exit status.
        call    xb_main
        push    eax
        call    plat_exit

; ============================================================================
; Memory: the largest RAM region above the image
; ============================================================================

; mem_init — sets plat_mem_start/plat_mem_end.
;   in: [start_info]   out: the two globals   clobbers: eax ecx edx esi edi ebx
;   Exits with status 1 (after a message) if the region is under 64 MiB.
mem_init:
        mov     esi, [start_info]
        cmp     dword [esi + SI_MAGIC], START_MAGIC
        jne     .no_map
        cmp     dword [esi + SI_VERSION], 1
        jb      .no_map
        cmp     dword [esi + SI_MEMMAP_PADDR + 4], 0    ; above 4 GiB: unreachable
        jne     .no_map
        mov     edi, [esi + SI_MEMMAP_PADDR]
        mov     ecx, [esi + SI_MEMMAP_ENTRIES]
        test    edi, edi                ; a zero address means "not present"
        jz      .no_map
        test    ecx, ecx
        jz      .no_map
        xor     ebx, ebx                ; size of the best region so far

.entry: cmp     dword [edi + MM_TYPE], MM_TYPE_RAM
        jne     .next
        cmp     dword [edi + MM_ADDR + 4], 0            ; starts at or above 4 GiB
        jne     .next
        ; end = min(addr + size, RAM_CAP), rounded down to a page
        mov     eax, [edi + MM_ADDR]
        xor     edx, edx
        add     eax, [edi + MM_SIZE]
        adc     edx, [edi + MM_SIZE + 4]
        jnz     .cap
        cmp     eax, RAM_CAP
        jbe     .capped
.cap:   mov     eax, RAM_CAP
.capped:
        and     eax, ~0xfff
        mov     edx, [edi + MM_ADDR]
        cmp     eax, edx
        jbe     .next                   ; empty, or all of it at or above RAM_CAP
        ; start = max(addr rounded up to a page, _image_end)
        add     edx, 0xfff              ; cannot wrap: addr < end <= RAM_CAP
        and     edx, ~0xfff
        cmp     edx, _image_end
        jae     .above
        mov     edx, _image_end
.above: cmp     eax, edx
        jbe     .next                   ; nothing left above the image
        mov     esi, eax
        sub     esi, edx
        cmp     esi, ebx
        jbe     .next
        mov     ebx, esi
        mov     [plat_mem_start], edx
        mov     [plat_mem_end], eax
.next:  add     edi, MM_ENTRY_SIZE
        dec     ecx
        jnz     .entry

        cmp     ebx, MIN_HEAP
        jb      .small
        ret

.no_map:
        mov     dword [plat_mem_start], _image_end
        mov     dword [plat_mem_end], FALLBACK_RAM_END
        push    msg_no_map_len
        push    msg_no_map
        call    plat_write_err
        add     esp, 8
        ret

.small: push    msg_small_len
        push    msg_small
        call    plat_write_err
        push    1
        call    plat_exit

; ============================================================================
; Console
; ============================================================================

; plat_write(const char *buf, int len) — stdout: the debugcon port.
;   cdecl; clobbers eax ecx edx.  One REP OUTSB for the whole buffer: a
;   hardware KVM batches string I/O into one exit per page.  (QEMU's
;   debugcon still writes to the host one byte per syscall: ~1 MB/s.)
plat_write:
        push    esi
        mov     esi, [esp + 8]
        mov     ecx, [esp + 12]
        test    ecx, ecx
        jle     .done
        mov     edx, DEBUGCON
        rep outsb
.done:  pop     esi
        ret

; plat_write_err(const char *buf, int len) — stderr: COM1.
;   cdecl; clobbers eax ecx edx.  Without a UART the port reads 0xff,
;   which has THRE set, so the loop never hangs.
plat_write_err:
        cmp     byte [com1_ready], 0
        jne     .ready
        call    com1_init
.ready: push    esi
        mov     esi, [esp + 8]
        mov     ecx, [esp + 12]
        test    ecx, ecx
        jle     .done
.byte:  mov     edx, COM1 + UART_LSR
.busy:  in      al, dx
        test    al, LSR_THRE
        jz      .busy
        mov     edx, COM1
        lodsb
        out     dx, al
        dec     ecx
        jnz     .byte
.done:  pop     esi
        ret

; com1_init — 115200 8N1, FIFO on, no interrupts.  Done on first use, so
; that a boot which never writes to stderr pays for none of these exits.
;   clobbers: eax edx
com1_init:
        mov     edx, COM1 + UART_IER
        xor     eax, eax
        out     dx, al                  ; no interrupts
        mov     edx, COM1 + UART_LCR
        mov     al, 0x80
        out     dx, al                  ; DLAB: the next two ports are the divisor
        mov     edx, COM1
        mov     al, 1
        out     dx, al                  ; divisor 1 = 115200 baud
        inc     edx
        xor     eax, eax
        out     dx, al
        mov     edx, COM1 + UART_LCR
        mov     al, 0x03
        out     dx, al                  ; 8 bits, no parity, 1 stop bit
        mov     edx, COM1 + UART_FCR
        mov     al, 0x07
        out     dx, al                  ; FIFO on, both cleared
        mov     edx, COM1 + UART_MCR
        mov     al, 0x03
        out     dx, al                  ; DTR, RTS
        mov     byte [com1_ready], 1
        ret

; ============================================================================
; Exit
; ============================================================================

; plat_exit(int status) — never returns.
;   QEMU's isa-debug-exit ends QEMU with status (v << 1) | 1; without that
;   device the write is dropped and we halt with interrupts off.
plat_exit:
        mov     eax, [esp + 4]
        out     DEBUG_EXIT, eax
.halt:  cli
        hlt
        jmp     .halt

; ============================================================================
; Time
; ============================================================================

; plat_monotonic_ns() -> edx:eax = nanoseconds since boot (kvmclock: since
; the VM started).  cdecl; clobbers eax ecx edx.
plat_monotonic_ns:
        push    ebx
        push    esi
        push    edi
        mov     esi, [clock_info]
.retry: mov     edi, [esi + PV_VERSION]
        test    edi, 1                  ; odd: the hypervisor is mid-update
        jnz     .retry
        lfence                          ; no RDTSC before the version read
        rdtsc
        sub     eax, [esi + PV_TSC_TIMESTAMP]
        sbb     edx, [esi + PV_TSC_TIMESTAMP + 4]
        mov     cl, [esi + PV_SHIFT]
        test    cl, cl
        js      .right
        shld    edx, eax, cl
        shl     eax, cl
        jmp     .scale
.right: neg     cl
        shrd    eax, edx, cl
        shr     edx, cl
.scale: ; edx:eax = (delta * mul) >> 32, from two 32x32 products
        mov     ebx, [esi + PV_MUL]
        mov     ecx, edx                ; delta, high half
        mul     ebx                     ; low half * mul: only its edx survives the >> 32
        mov     eax, ecx
        mov     ecx, edx
        mul     ebx                     ; high half * mul
        add     eax, ecx
        adc     edx, 0
        add     eax, [esi + PV_SYSTEM_TIME]
        adc     edx, [esi + PV_SYSTEM_TIME + 4]
        cmp     edi, [esi + PV_VERSION] ; rewritten while we read it: again
        jne     .retry
        pop     edi
        pop     esi
        pop     ebx
        ret

; clock_init — points clock_info at a working clock record.
;   clobbers: eax ebx ecx edx esi edi
; KVM: register kvm_clock with MSR_KVM_SYSTEM_TIME_NEW; KVM fills it before
; the guest runs again, exact to the nanosecond and free of calibration.
; Anything else (TCG): calibrate the TSC against PIT channel 0.
clock_init:
        mov     eax, 0x40000000
        cpuid
        cmp     ebx, KVM_SIGNATURE_EBX
        jne     calibrate_tsc
        cmp     ecx, KVM_SIGNATURE_ECX
        jne     calibrate_tsc
        cmp     edx, KVM_SIGNATURE_EDX
        jne     calibrate_tsc
        cmp     eax, 0x40000001
        jb      calibrate_tsc
        mov     eax, 0x40000001
        cpuid
        test    eax, KVM_FEATURE_CLOCK2
        jz      calibrate_tsc
        mov     ecx, MSR_KVM_SYSTEM_TIME_NEW
        mov     eax, kvm_clock + 1      ; bit 0: enable
        xor     edx, edx
        wrmsr
        ; The record starts zeroed (.bss); a multiplier proves KVM wrote it.
        cmp     dword [kvm_clock + PV_MUL], 0
        je      calibrate_tsc
        mov     dword [clock_info], kvm_clock
        ret

; calibrate_tsc — fills tsc_clock (time zero: the TSC read in step 3).
;   clobbers: eax ebx ecx edx esi edi
; Channel 0 counts down from 0xffff in mode 0; we read it through latch
; commands.  Port 0x61 (the channel 2 gate) does not exist on microvm.
; The PIC is masked first: mode 0 raises IRQ 0 once, at terminal count.
calibrate_tsc:
        mov     al, 0xff
        out     PIC1_DATA, al
        out     PIC2_DATA, al
        mov     al, 0x30                ; channel 0, low then high byte, mode 0, binary
        out     PIT_CMD, al
        mov     al, 0xff
        out     PIT_CH0, al
        out     PIT_CH0, al
        ; Start on a tick edge, so that only read latency is left as error.
        ; A PIT ticks every 0.84 us; no edge in 10000 reads means no PIT
        ; (microvm,pit=off), and then a nominal rate is all we can offer.
        call    pit_sample
        mov     ebx, eax
        mov     esi, 10000
.edge:  call    pit_sample
        cmp     eax, ebx
        jne     .ticking
        dec     esi
        jnz     .edge
        push    msg_no_clock_len
        push    msg_no_clock
        call    plat_write_err
        add     esp, 8
        mov     eax, NOMINAL_TSC_KHZ
        jmp     .scale
.ticking:
        mov     byte [have_pit], 1
        mov     ebx, eax                ; count at the start
        mov     edi, ecx                ; TSC at the start
.wait:  call    pit_sample
        mov     edx, ebx
        sub     edx, eax                ; ticks elapsed (counting down)
        cmp     edx, CALIBRATE_TICKS
        jb      .wait
        mov     eax, ecx
        sub     eax, edi                ; TSC ticks
        mov     ecx, edx                ; PIT ticks
        ; tsc_khz = tsc_ticks * PIT_HZ / (pit_ticks * 1000)
        mov     edx, PIT_HZ
        mul     edx
        imul    ecx, ecx, 1000
        div     ecx
        test    eax, eax                ; a TSC that does not tick: leave mul at 0
        jz      .done
.scale: ; mul = 10^6 * 2^32 / (khz << shift), with the shift that makes
        ; khz << shift exceed 10^6, so that the quotient fits 32 bits.
        xor     ecx, ecx
.norm:  cmp     eax, 1000000
        ja      .div
        shl     eax, 1
        inc     ecx
        jmp     .norm
.div:   mov     ebx, eax
        mov     edx, 1000000
        xor     eax, eax
        div     ebx
        mov     [tsc_clock + PV_MUL], eax
        mov     [tsc_clock + PV_SHIFT], cl
.done:  ret

; pit_sample -> eax = channel 0's count, ecx = low half of the TSC at the
; latch.  clobbers: edx
; Both readings come from this one routine so that, under TCG, no freshly
; translated code runs between a PIT read and its TSC read (translating a
; block takes tens of microseconds, which showed up as a 0.5% error).
; 2 ms is far below 2^32 TSC ticks, so the low half suffices.
pit_sample:
        xor     eax, eax
        out     PIT_CMD, al             ; latch channel 0
        rdtsc
        mov     ecx, eax
        in      al, PIT_CH0             ; low byte first
        mov     ah, al
        in      al, PIT_CH0
        xchg    al, ah
        movzx   eax, ax
        ret

; ============================================================================
; Faults: print vector, error code and eip on stderr, exit with status 1
; ============================================================================

; One stub per vector 0..31.  The CPU pushes an error code for some
; vectors only; the others push a 0 so the frame has one shape.
%assign v 0
%rep 32
exc_%[v]:
%if !(v == 8 || (v >= 10 && v <= 14) || v == 17 || v == 21 || v == 29 || v == 30)
        push    0
%endif
        push    v
        jmp     exc_common
%assign v v + 1
%endrep

section .rodata
exc_stubs:
%assign v 0
%rep 32
        dd      exc_%[v]
%assign v v + 1
%endrep
section .text

; idt_init — 32 interrupt gates to the stubs above, then LIDT.
;   clobbers: eax ecx edx esi edi
idt_init:
        mov     esi, exc_stubs
        mov     edi, idt
        mov     ecx, 32
.gate:  lodsd
        mov     edx, eax
        and     eax, 0xffff
        or      eax, CODE_SEL << 16     ; selector : offset 15..0
        and     edx, 0xffff0000
        or      edx, 0x8e00             ; offset 31..16 : present, ring 0, 32-bit interrupt gate
        mov     [edi], eax
        mov     [edi + 4], edx
        add     edi, 8
        dec     ecx
        jnz     .gate
        mov     eax, irq_stub           ; 32..47: the PICs' interrupts
.irq:   mov     edx, eax
        and     eax, 0xffff
        or      eax, CODE_SEL << 16
        and     edx, 0xffff0000
        or      edx, 0x8e00
        mov     [edi], eax
        mov     [edi + 4], edx
        add     edi, 8
        mov     eax, irq_stub
        cmp     edi, idt + 48 * 8
        jb      .irq
        lidt    [idt_desc]
        ret

; pic_init — both 8259s remapped to vectors 32..47, everything masked but
; IRQ 0 (the PIT), which plat_sleep_until uses to wake from hlt.
;   clobbers: eax
pic_init:
        mov     al, 0x11                ; ICW1: edge, cascade, ICW4 follows
        out     PIC1_CMD, al
        out     PIC2_CMD, al
        mov     al, IRQ_BASE            ; ICW2: vector bases
        out     PIC1_DATA, al
        mov     al, IRQ_BASE + 8
        out     PIC2_DATA, al
        mov     al, 4                   ; ICW3: the slave on IRQ 2
        out     PIC1_DATA, al
        mov     al, 2
        out     PIC2_DATA, al
        mov     al, 1                   ; ICW4: 8086 mode
        out     PIC1_DATA, al
        out     PIC2_DATA, al
        mov     al, 0xfe                ; only IRQ 0
        out     PIC1_DATA, al
        mov     al, 0xff
        out     PIC2_DATA, al
        ; The local APIC in virtual-wire mode: the 8259's interrupts come
        ; in through LINT0 (ExtINT); enabled, spurious vector 47.
        mov     dword [LAPIC_BASE + LAPIC_LINT0], 0x700
        mov     dword [LAPIC_BASE + LAPIC_LINT1], 0x400
        mov     dword [LAPIC_BASE + LAPIC_SVR], 0x100 | (IRQ_BASE + 15)
        ret

; irq_stub — any of the PICs' interrupts: acknowledged, nothing else (the
; sleeper it woke looks at the clock).
irq_stub:
        push    eax
        mov     al, PIC_EOI
        out     PIC2_CMD, al
        out     PIC1_CMD, al
        pop     eax
        iret

; The frame: [esp] vector, [esp + 4] error code, [esp + 8] eip.
exc_common:
        mov     eax, [esp]
        mov     edi, exc_vector
        call    hex32
        mov     eax, [esp + 4]
        mov     edi, exc_error
        call    hex32
        mov     eax, [esp + 8]
        mov     edi, exc_eip
        call    hex32
        push    exc_msg_len
        push    exc_msg
        call    plat_write_err
        push    1
        call    plat_exit

; hex32 — eax as 8 lowercase hex digits at [edi].  clobbers: eax ebx ecx edx edi
hex32:
        mov     ecx, 8
.digit: rol     eax, 4
        mov     edx, eax
        and     edx, 0xf
        mov     bl, [hex_digits + edx]
        mov     [edi], bl
        inc     edi
        dec     ecx
        jnz     .digit
        ret

; plat_sleep_until(lo, hi) — wait until plat_monotonic_ns reaches the time,
; halted: PIT channel 0 in one-shot mode raises IRQ 0 after min(the time
; left, 50 ms), and `sti; hlt` sleeps until it (sti's one-instruction delay
; makes the pair atomic).  It polls instead when the clock is not the
; PIT-calibrated TSC: without a PIT (microvm,pit=off), and under kvmclock,
; as this machine's software KVM never delivered the PIT's interrupt.
;   cdecl; clobbers eax ecx edx.
plat_sleep_until:
.again: call    plat_monotonic_ns
        mov     ecx, [esp + 4]
        sub     ecx, eax                ; the time left: [esp+8]:[esp+4] - edx:eax
        mov     eax, [esp + 8]
        sbb     eax, edx
        jb      .done                   ; (borrow: past it)
        jnz     .long
        test    ecx, ecx
        jz      .done
        cmp     ecx, SLEEP_MAX_NS
        jbe     .wait
.long:  mov     ecx, SLEEP_MAX_NS
.wait:  cmp     byte [have_pit], 0
        je      .poll
        mov     eax, ecx                ; ticks = ns * PIT_HZ / 10^9, at least 1
        mov     ecx, PIT_HZ
        mul     ecx
        mov     ecx, 1000000000
        div     ecx
        test    eax, eax
        jnz     .ticks
        inc     eax
.ticks: mov     ecx, eax
        mov     al, 0x30                ; channel 0, low then high byte, mode 0
        out     PIT_CMD, al
        mov     al, cl
        out     PIT_CH0, al
        mov     al, ch
        out     PIT_CH0, al
        sti
        hlt
        cli
        jmp     .again
.poll:  pause
        jmp     .again
.done:  ret

; plat_realtime_ns() — nanoseconds since the epoch: the CMOS real-time
; clock, read once (to the second) on the first call, plus the monotonic
; time since.  Without a sane RTC (Xen's wallclock comes later) the
; monotonic clock alone, as if the VM booted at 1970-01-01.
;   cdecl; clobbers eax ecx edx.
plat_realtime_ns:
        cmp     byte [rtc_read], 0
        jne     .have
        call    rtc_epoch
.have:  call    plat_monotonic_ns
        add     eax, [rtc_offset]
        adc     edx, [rtc_offset + 4]
        ret

; rtc_epoch — rtc_offset = the RTC's time (ns since the epoch) minus the
; monotonic clock now; 0 when the RTC reads as nonsense.
;   clobbers eax ecx edx
rtc_epoch:
        push    ebx
        push    esi
        push    edi
        mov     byte [rtc_read], 1
        mov     ecx, 100000             ; wait for no update in progress
.busy:  mov     al, 0x0a
        call    cmos
        test    al, 0x80
        jz      .read
        dec     ecx
        jnz     .busy
.read:  mov     al, 0x0b                ; status B: bit 2 set = binary, else BCD
        call    cmos
        mov     [rtc_mode], al
        mov     al, 0x00
        call    cmos_value
        mov     [rtc_f], eax            ; seconds
        mov     al, 0x02
        call    cmos_value
        mov     [rtc_f + 4], eax        ; minutes
        mov     al, 0x04
        call    cmos_value
        mov     [rtc_f + 8], eax        ; hours (24-hour mode assumed)
        mov     al, 0x07
        call    cmos_value
        mov     esi, eax                ; day
        mov     al, 0x08
        call    cmos_value
        mov     edi, eax                ; month
        mov     al, 0x09
        call    cmos_value
        add     eax, 2000               ; year (2000..2099)
        ; Sane?
        cmp     edi, 1
        jb      .none
        cmp     edi, 12
        ja      .none
        cmp     esi, 1
        jb      .none
        cmp     esi, 31
        ja      .none
        ; Days since 1970-01-01 (Hinnant's days_from_civil, years >= 2000).
        cmp     edi, 2
        ja      .march
        dec     eax                     ; January and February count with the year before
        add     edi, 9
        jmp     .month
.march: sub     edi, 3
.month: mov     ebx, eax                ; y
        ; doy = (153 * m' + 2) / 5 + d - 1
        imul    eax, edi, 153
        add     eax, 2
        xor     edx, edx
        mov     ecx, 5
        div     ecx
        lea     esi, [eax + esi - 1]    ; doy
        ; era = y / 400; yoe = y - era * 400
        mov     eax, ebx
        xor     edx, edx
        mov     ecx, 400
        div     ecx                     ; eax = era, edx = yoe
        imul    eax, eax, 146097
        mov     ecx, edx                ; yoe
        imul    edx, ecx, 365
        add     eax, edx
        mov     edx, ecx
        shr     edx, 2
        add     eax, edx                ; + yoe / 4
        push    eax
        mov     eax, ecx
        xor     edx, edx
        mov     ebx, 100
        div     ebx
        mov     edx, eax
        pop     eax
        sub     eax, edx                ; - yoe / 100
        add     eax, esi                ; + doy
        sub     eax, 719468             ; days since the epoch
        ; seconds = days * 86400 + h * 3600 + m * 60 + s (fits in 32 bits until 2106)
        imul    eax, eax, 86400
        imul    ecx, [rtc_f + 8], 3600
        add     eax, ecx
        imul    ecx, [rtc_f + 4], 60
        add     eax, ecx
        add     eax, [rtc_f]
        mov     ecx, 1000000000
        mul     ecx                     ; edx:eax = ns since the epoch
        mov     esi, eax
        mov     edi, edx
        call    plat_monotonic_ns
        sub     esi, eax
        sbb     edi, edx
        mov     [rtc_offset], esi
        mov     [rtc_offset + 4], edi
.none:  pop     edi
        pop     esi
        pop     ebx
        ret

; cmos — al = a CMOS register; out: al = its value.  cmos_value: the same
; as a number in eax (from BCD unless status B says binary).
cmos:   out     0x70, al
        in      al, 0x71
        ret
cmos_value:
        call    cmos
        movzx   eax, al
        test    byte [rtc_mode], 4
        jnz     .done
        mov     edx, eax                ; BCD: tens * 10 + units
        shr     edx, 4
        and     eax, 0x0f
        imul    edx, edx, 10
        add     eax, edx
.done:  ret
