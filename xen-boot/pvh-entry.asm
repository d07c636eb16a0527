; xen-boot/pvh-entry.asm — start of day for the pvh target.
;
; In:  control at _start from a PVH boot loader: QEMU's (microvm + qboot),
;      or Xen's, for its dom0 or a guest domain (see "Xen" at the end).
;      See "Entry" below for what it hands over.
; Out: the platform interface of docs/platform.md — _start, plat_mem_start,
;      plat_mem_end, plat_write, plat_write_err, plat_exit,
;      plat_monotonic_ns, plat_realtime_ns, plat_sleep_until, plat_cpu_ns,
;      plat_since_entry_ns, plat_cmdline — and one call to the runtime's
;      xb_main.
;
; Link with xen-boot/pvh.ld, which puts all of this in one PT_LOAD at
; physical 1 MiB, puts the Xen note in a PT_NOTE and defines _image_end.
; Paging stays off for the life of the image: addresses are physical.

bits 32

global _start
global plat_mem_start, plat_mem_end
global plat_write, plat_write_err, plat_exit, plat_monotonic_ns, plat_sleep_until, plat_realtime_ns, plat_cpu_ns
global plat_since_entry_ns, plat_cmdline
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
SI_CMDLINE_PADDR        equ 24  ; a NUL-terminated string, or 0
SI_MEMMAP_PADDR         equ 40
SI_MEMMAP_ENTRIES       equ 48
; hvm_memmap_table_entry: e820-style, 24 bytes each
MM_ADDR                 equ 0
MM_SIZE                 equ 8
MM_TYPE                 equ 16
MM_ENTRY_SIZE           equ 24
MM_TYPE_RAM             equ 1
E820_ENTRY_SIZE         equ 20  ; XENMEM_memory_map's entries: the same, packed, without the last word
E820_MAX                equ 128

CMDLINE_MAX             equ 4092        ; bytes of the command line kept (the rest is cut)
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

; Xen (its public headers: xen.h, arch-x86/cpuid.h, hvm/params.h,
; hvm/hvm_op.h, memory.h, event_channel.h, vcpu.h, sched.h).  A 32-bit HVM
; guest gets Xen's compat ABI: longs, pointers and pfns are 32 bits, and a
; 64-bit field is only 4-byte aligned.
XEN_CPUID_FIRST         equ 0x40000000  ; the leaves are searched in steps of 0x100
XEN_CPUID_LAST          equ 0x4000ff00
XEN_SIG_EBX             equ 0x566e6558  ; "XenVMMXenVMM" in ebx, ecx, edx
XEN_SIG_ECX             equ 0x65584d4d
XEN_SIG_EDX             equ 0x4d4d566e
SI_FLAGS                equ 8           ; hvm_start_info.flags
SIF_INITDOMAIN          equ 1 << 1      ; we are dom0
POISON                  equ 0xcccccccc  ; int3s: what the hypercall page holds until Xen fills it
HC_memory_op            equ 12          ; hypercall numbers: call hypercall_page + 32 * N
HC_console_io           equ 18
HC_vcpu_op              equ 24
HC_sched_op             equ 29
HC_event_channel_op     equ 32
HC_hvm_op               equ 34
CONSOLEIO_write         equ 0
SCHEDOP_shutdown        equ 2
SHUTDOWN_poweroff       equ 0
SHUTDOWN_crash          equ 3
XENMEM_add_to_physmap   equ 7
XENMEM_memory_map       equ 9
XENMAPSPACE_shared_info equ 0
DOMID_SELF              equ 0x7ff0
HVMOP_set_param         equ 0
HVMOP_get_param         equ 1
HVM_PARAM_CONSOLE_PFN   equ 17          ; a guest domain's PV console ring: its page
HVM_PARAM_CONSOLE_EVTCHN equ 18         ; ... and its event channel
EVTCHNOP_send           equ 4
; struct xencons_interface (io/console.h): in[1024], out[2048], then the
; four ring indexes, free-running (masked on use).
CONS_OUT                equ 1024
CONS_OUT_SIZE           equ 2048
CONS_OUT_CONS           equ 3080
CONS_OUT_PROD           equ 3084
CONS_DRAIN_MS           equ 2000        ; at exit, wait this long at most for xenconsoled
HVM_PARAM_CALLBACK_IRQ  equ 0
CALLBACK_TYPE_VECTOR    equ 2 << 24     ; bits 63..56 of the parameter: deliver events as a vector
EVTCHNOP_bind_virq      equ 1
VIRQ_TIMER              equ 0
VCPUOP_get_runstate_info equ 4
VCPUOP_set_singleshot_timer equ 8
; hypercall N: call hypercall_page + 32 * N, arguments in ebx, ecx, edx,
; esi, edi, result in eax.  Xen's stubs preserve the other registers.
%define HYPERCALL(n) hypercall_page + (n) * 32
XEN_VECTOR              equ 48          ; the vector Xen raises for pending events (no EOI)
; shared_info, in the 32-bit layout (Xen latches it when a 32-bit guest
; sets HVM_PARAM_CALLBACK_IRQ): vcpu_info[32] of 64 bytes, then the
; pending and mask bitmaps of 1024 ports, then the wall clock.
SH_UPCALL_PENDING       equ 0           ; vcpu_info[0].evtchn_upcall_pending
SH_PENDING_SEL          equ 4           ; vcpu_info[0].evtchn_pending_sel (8 in the 64-bit layout)
SH_TIME                 equ 32          ; vcpu_info[0].time: a pvclock record (both layouts)
SH_EVTCHN_PENDING       equ 0x800       ; (both layouts, for ports 0..1023)
SH_WC_VERSION           equ 0x900
SH_WC_SEC               equ 0x904
SH_WC_NSEC              equ 0x908
RS_RUNNING              equ 12          ; vcpu_runstate_info.time[RUNSTATE_running] (compat layout)
RS_SIZE                 equ 44

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
        dw 49 * 8 - 1
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
msg_exit:       db "xbeam: exit status "
msg_exit_len    equ $ - msg_exit
msg_xen_page:   db "xbeam pvh: Xen did not fill the hypercall page; carrying on without Xen", 10
msg_xen_page_len equ $ - msg_xen_page
msg_xen_events: db "xbeam pvh: Xen refused shared_info, the event vector or the timer; no Xen clock", 10
msg_xen_events_len equ $ - msg_xen_events
hex_digits:     db "0123456789abcdef"

section .bss

alignb 4096
boot_stack:     resb 64 * 1024
boot_stack_top:
hypercall_page: resb 4096       ; Xen writes its hypercall stubs here
shared_info:    resb 4096       ; replaced by Xen's shared_info frame (this RAM page is given up)

alignb 32                       ; a pvclock record must not cross a page
kvm_clock:      resb PV_SIZE
tsc_clock:      resb PV_SIZE
start_info:     resd 1          ; ebx at entry
idt:            resq 49
rtc_offset:     resd 2          ; the epoch's time minus the monotonic clock (ns)
rtc_f:          resd 3          ; seconds, minutes, hours being read
rtc_read:       resb 1
rtc_mode:       resb 1
have_pit:       resb 1          ; the TSC was calibrated against a PIT: plat_sleep_until halts
xen:            resb 1          ; running on Xen, hypercall page installed
xen_dom0:       resb 1          ; ... as dom0: console_io is our console
xen_events:     resb 1          ; shared_info mapped, timer bound, events arrive at XEN_VECTOR
xen_ring:       resb 1          ; a guest domain with a PV console ring: stdout goes there
alignb 4
timer_port:     resd 1          ; the event channel of VIRQ_TIMER
cons_ring:      resd 1          ; the PV console ring's address (paging off: its pfn << 12)
cons_port:      resd 1          ; ... and its event channel
exit_digits:    resb 12
idle_ns:        resd 2          ; time spent halted in plat_sleep_until (without Xen)
entry_tsc:      resd 2          ; the TSC at _start
plat_cmdline:   resd 1          ; the command line: its length, then its bytes
                resb CMDLINE_MAX
xen_arg:        resd 4          ; argument blocks of hypercalls (16 bytes is the largest)
runstate:       resb RS_SIZE
e820_map:       resb E820_MAX * E820_ENTRY_SIZE

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
        ; 0. The TSC at entry, for plat_since_entry_ns.
        rdtsc
        mov     [entry_tsc], eax
        mov     [entry_tsc + 4], edx

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

        ; 5. Xen, if we run on it: the hypercall page, and with it the
        ;    console, the clock and the timer (see "Xen" below).  Before
        ;    anything prints, so that messages take Xen's channels.
        call    xen_init

        ; 6. The command line, copied (it may lie in what becomes the heap),
        ;    then free RAM for the runtime, from the loader's memory map.
        call    cmdline_init
        call    mem_init

%ifdef XBEAM_PAGING
        call    paging_init             ; (measuring only: xen-boot/paging.inc)
%endif

        ; 7. The clock: Xen's, kvmclock, or the TSC calibrated against the
        ;    PIT (whose interrupt then ends plat_sleep_until's halts).
        cmp     byte [xen_events], 0
        jne     .clocked
        call    clock_init
        call    pic_init
.clocked:

        ; 8. The runtime.  Its return value is the exit status.
        call    xb_main
        push    eax
        call    plat_exit

; cmdline_init — plat_cmdline from hvm_start_info's cmdline_paddr (QEMU's
; -append; under Xen, dom0's module arguments or a guest's xl `cmdline`).
; No start info or no command line: empty.   clobbers: eax ecx esi
cmdline_init:
        mov     esi, [start_info]
        cmp     dword [esi + SI_MAGIC], START_MAGIC
        jne     .none
        cmp     dword [esi + SI_CMDLINE_PADDR + 4], 0   ; above 4 GiB: out of reach
        jne     .none
        mov     esi, [esi + SI_CMDLINE_PADDR]
        test    esi, esi
        jz      .none
        xor     ecx, ecx
.byte:  mov     al, [esi + ecx]
        test    al, al
        jz      .end
        mov     [plat_cmdline + 4 + ecx], al
        inc     ecx
        cmp     ecx, CMDLINE_MAX
        jb      .byte
.end:   mov     [plat_cmdline], ecx
.none:  ret

; ============================================================================
; Memory: the largest RAM region above the image
; ============================================================================

; mem_init — sets plat_mem_start/plat_mem_end.
;   in: [start_info]   out: the two globals   clobbers: eax ecx edx esi edi ebx ebp
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
        mov     ebp, MM_ENTRY_SIZE
.scan:  xor     ebx, ebx                ; size of the best region so far

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
.next:  add     edi, ebp
        dec     ecx
        jnz     .entry

        cmp     ebx, MIN_HEAP
        jb      .small
        ret

.no_map:
        ; Xen gives dom0 no map in hvm_start_info: ask for it
        ; (XENMEM_memory_map; struct xen_memory_map: nr_entries in and
        ; out, buffer), e820 entries of 20 bytes.
        cmp     byte [xen], 0
        je      .assume
        mov     dword [xen_arg], E820_MAX
        mov     dword [xen_arg + 4], e820_map
        mov     ebx, XENMEM_memory_map
        mov     ecx, xen_arg
        call    HYPERCALL(HC_memory_op)
        test    eax, eax
        jnz     .assume
        mov     edi, e820_map
        mov     ecx, [xen_arg]
        test    ecx, ecx
        jz      .assume
        mov     ebp, E820_ENTRY_SIZE
        jmp     .scan
.assume:
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

; plat_write(const char *buf, int len) — stdout: the debugcon port (under
;   Xen: console_io as dom0, the PV console ring as a guest domain).
;   cdecl; clobbers eax ecx edx.  One REP OUTSB for the whole buffer: a
;   hardware KVM batches string I/O into one exit per page.  (QEMU's
;   debugcon still writes to the host one byte per syscall: ~1 MB/s.)
plat_write:
        cmp     byte [xen_dom0], 0
        jne     xen_write
        cmp     byte [xen_ring], 0
        jne     ring_write
.debugcon:                              ; (also stderr's, under Xen)
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
        cmp     byte [xen], 0
        jne     plat_write.debugcon     ; Xen: port 0xe9, which Xen turns into
                                        ; lines "(dN) ..." in its own log
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
;   device the write is dropped and we halt with interrupts off.  On Xen,
;   dom0 writes the port too (QEMU's device, under the test harness), then
;   every domain asks Xen to end it: poweroff for status 0, crash for any
;   other.
plat_exit:
        mov     eax, [esp + 4]
        cmp     byte [xen], 0
        je      .port
        cmp     byte [xen_dom0], 0
        jne     .dom0
        push    eax
        call    ring_drain              ; a guest: its console read to the end,
        call    exit_line               ; its status in Xen's log
        pop     eax
        jmp     .shutdown
.dom0:  out     DEBUG_EXIT, eax
.shutdown:
        mov     ecx, SHUTDOWN_poweroff
        test    eax, eax
        jz      .reason
        mov     ecx, SHUTDOWN_crash
.reason:
        mov     [xen_arg], ecx
        mov     ebx, SCHEDOP_shutdown
        mov     ecx, xen_arg
        call    HYPERCALL(HC_sched_op)
        jmp     .halt
.port:  out     DEBUG_EXIT, eax
.halt:  cli
        hlt
        jmp     .halt

; ============================================================================
; Time
; ============================================================================

; plat_monotonic_ns() -> edx:eax = nanoseconds since boot (kvmclock: since
; the VM started).  cdecl; clobbers eax ecx edx.
plat_since_entry_ns:
        push    ebx
        push    esi
        push    edi
        mov     esi, [clock_info]
.retry: mov     edi, [esi + PV_VERSION]
        test    edi, 1
        jnz     .retry
        lfence
        rdtsc
        sub     eax, [entry_tsc]
        sbb     edx, [entry_tsc + 4]
        call    tsc_to_ns
        cmp     edi, [esi + PV_VERSION]
        jne     .retry
        pop     edi
        pop     esi
        pop     ebx
        ret

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
        call    tsc_to_ns
        add     eax, [esi + PV_SYSTEM_TIME]
        adc     edx, [esi + PV_SYSTEM_TIME + 4]
        cmp     edi, [esi + PV_VERSION] ; rewritten while we read it: again
        jne     .retry
        pop     edi
        pop     esi
        pop     ebx
        ret

; tsc_to_ns — in: edx:eax = TSC ticks, esi = a clock record.  out: edx:eax
; = the ticks in ns by the record's shift and multiplier.  clobbers ebx ecx.
tsc_to_ns:
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

; idt_init — the 49 gates (faults, the PICs, Xen), then LIDT.
;   clobbers: eax edx esi edi
idt_init:
        mov     esi, exc_stubs
        mov     edi, idt
.exc:   lodsd
        call    set_gate
        cmp     edi, idt + 32 * 8
        jb      .exc
.irq:   mov     eax, irq_stub           ; 32..47: the PICs' interrupts
        call    set_gate
        cmp     edi, idt + 48 * 8
        jb      .irq
        mov     eax, xen_upcall         ; 48: Xen's event upcall
        call    set_gate
        lidt    [idt_desc]
        ret

; set_gate — in: eax = a handler, edi = its IDT entry.  Out: the entry, a
; present ring-0 32-bit interrupt gate to it; edi at the next.
;   clobbers: eax edx
set_gate:
        mov     edx, eax
        and     eax, 0xffff
        or      eax, CODE_SEL << 16     ; selector : offset 15..0
        and     edx, 0xffff0000
        or      edx, 0x8e00             ; offset 31..16 : present, ring 0, 32-bit interrupt gate
        mov     [edi], eax
        mov     [edi + 4], edx
        add     edi, 8
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
        cmp     byte [xen_events], 0
        jne     xen_sleep_until
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
        push    ebx
        push    esi
        call    plat_monotonic_ns
        mov     ebx, eax
        mov     esi, edx
        sti
        hlt
        cli
        call    plat_monotonic_ns       ; the halt counts as idle time (plat_cpu_ns)
        sub     eax, ebx
        sbb     edx, esi
        add     [idle_ns], eax
        adc     [idle_ns + 4], edx
        pop     esi
        pop     ebx
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
        cmp     byte [xen_events], 0
        jne     xen_realtime_ns
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

; ============================================================================
; Xen
;
; Under Xen (as dom0 or as a PVH guest) the image finds the hypervisor by
; CPUID and has it fill a hypercall page.  Then, with hypercalls:
;   - stdout: console_io as dom0 (Xen writes it to its serial console as
;     it is, \n as \r\n), the PV console ring as a guest domain (see
;     ring_write); stderr: port 0xe9, which Xen buffers into lines
;     "(dN) ..." in its log.
;   - the clock: vcpu_info[0].time in shared_info, a pvclock record that
;     Xen keeps current; the wall clock: shared_info's wc_sec/wc_nsec.
;   - sleeping: a single-shot timer (VCPUOP_set_singleshot_timer) whose
;     VIRQ_TIMER event comes in at XEN_VECTOR, and `sti; hlt`, which Xen
;     turns into SCHEDOP_block: the vCPU is descheduled until the event.
;   - CPU time: the vCPU's runstate (time running).
;   - exit: SCHEDOP_shutdown (see plat_exit).
; Without Xen (QEMU microvm) xen stays 0 and none of this is used.
; ============================================================================


; xen_init — detect Xen; install the hypercall page; map shared_info, take
; events at XEN_VECTOR, bind the timer.  Sets xen, xen_dom0, xen_events.
;   clobbers: eax ebx ecx edx esi edi
xen_init:
        mov     esi, XEN_CPUID_FIRST
.probe: mov     eax, esi
        cpuid
        cmp     ebx, XEN_SIG_EBX
        jne     .next
        cmp     ecx, XEN_SIG_ECX
        jne     .next
        cmp     edx, XEN_SIG_EDX
        jne     .next
        sub     eax, esi
        cmp     eax, 2                  ; base + 2 (hypercall pages) must exist
        jae     .found
.next:  add     esi, 0x100
        cmp     esi, XEN_CPUID_LAST
        jbe     .probe
        ret                             ; no Xen

.found: ; The page full of int3s first: a stub Xen did not write traps,
        ; and a page Xen did not fill at all is seen below.
        mov     edi, hypercall_page
        mov     ecx, 4096 / 4
        mov     eax, POISON
        rep stosd
        lea     eax, [esi + 2]
        cpuid                           ; eax: pages, ebx: the MSR to write
        mov     ecx, ebx
        mov     eax, hypercall_page     ; physical address, page 0
        xor     edx, edx
        wrmsr
        cmp     dword [hypercall_page], POISON
        je      .unfilled
        mov     byte [xen], 1

        mov     eax, [start_info]
        cmp     dword [eax + SI_MAGIC], START_MAGIC
        jne     .events
        test    dword [eax + SI_FLAGS], SIF_INITDOMAIN
        jz      .guest
        mov     byte [xen_dom0], 1
        jmp     .events

.guest: ; A guest domain: the PV console ring that xenconsoled serves.
        mov     eax, HVM_PARAM_CONSOLE_EVTCHN
        call    hvm_get_param
        jnz     .events
        mov     [cons_port], eax
        mov     eax, HVM_PARAM_CONSOLE_PFN
        call    hvm_get_param
        jnz     .events
        test    eax, eax
        jz      .events
        test    edx, edx                ; above 4 GiB: out of reach
        jnz     .events
        cmp     eax, 0x100000
        jae     .events
        shl     eax, 12
        mov     [cons_ring], eax
        mov     byte [xen_ring], 1

.events:
        ; shared_info over our page (struct xen_add_to_physmap: domid,
        ; size, space, idx, gpfn).
        mov     dword [xen_arg], DOMID_SELF     ; domid; size 0
        mov     dword [xen_arg + 4], XENMAPSPACE_shared_info
        mov     dword [xen_arg + 8], 0
        mov     eax, shared_info
        shr     eax, 12
        mov     [xen_arg + 12], eax
        mov     ebx, XENMEM_add_to_physmap
        mov     ecx, xen_arg
        call    HYPERCALL(HC_memory_op)
        test    eax, eax
        jnz     .no_events
        ; Events as a vector (struct xen_hvm_param: domid, index, value).
        ; This also fixes shared_info's layout at the 32-bit one.
        mov     dword [xen_arg], DOMID_SELF
        mov     dword [xen_arg + 4], HVM_PARAM_CALLBACK_IRQ
        mov     dword [xen_arg + 8], XEN_VECTOR
        mov     dword [xen_arg + 12], CALLBACK_TYPE_VECTOR
        mov     ebx, HVMOP_set_param
        mov     ecx, xen_arg
        call    HYPERCALL(HC_hvm_op)
        test    eax, eax
        jnz     .no_events
        ; The timer's event channel (struct evtchn_bind_virq: virq, vcpu,
        ; port out).
        mov     dword [xen_arg], VIRQ_TIMER
        mov     dword [xen_arg + 4], 0
        mov     ebx, EVTCHNOP_bind_virq
        mov     ecx, xen_arg
        call    HYPERCALL(HC_event_channel_op)
        test    eax, eax
        jnz     .no_events
        mov     eax, [xen_arg + 8]
        mov     [timer_port], eax
        cmp     dword [shared_info + SH_TIME + PV_MUL], 0
        je      .no_events
        mov     dword [clock_info], shared_info + SH_TIME
        mov     byte [xen_events], 1
        ret
.no_events:
        push    msg_xen_events_len
        push    msg_xen_events
        call    plat_write_err
        add     esp, 8
        ret
.unfilled:
        push    msg_xen_page_len
        push    msg_xen_page
        call    plat_write_err
        add     esp, 8
        ret

; hvm_get_param — in: eax = an HVM parameter's index.  Out: ZF set and
; edx:eax = its value, or ZF clear (Xen refused).  HVMOP_get_param with
; struct xen_hvm_param: domid, index, value (out).  clobbers ebx ecx
hvm_get_param:
        mov     dword [xen_arg], DOMID_SELF
        mov     [xen_arg + 4], eax
        mov     ebx, HVMOP_get_param
        mov     ecx, xen_arg
        call    HYPERCALL(HC_hvm_op)
        mov     edx, [xen_arg + 12]
        test    eax, eax
        mov     eax, [xen_arg + 8]      ; (mov leaves the flags alone)
        ret

; xen_write(buf, len) — plat_write for dom0: console_io(CONSOLEIO_write).
xen_write:
        push    ebx
        mov     ecx, [esp + 12]         ; len
        test    ecx, ecx
        jle     .done
        mov     edx, [esp + 8]          ; buf
        mov     ebx, CONSOLEIO_write
        call    HYPERCALL(HC_console_io)
.done:  pop     ebx
        ret

; xen_upcall — XEN_VECTOR: some event is pending.  Acknowledge them all:
; the upcall flag, the selector word, the pending bits (1024 ports, the
; first 128 bytes of the bitmap in either layout; the selector is cleared
; at both layouts' offsets, the other being unused by an HVM guest).
; Nothing else needs doing: the only event is the timer, whose work is
; to end a halt.  No EOI: Xen's callback vector does not go through the
; local APIC.
xen_upcall:
        push    eax
        push    ecx
        mov     byte [shared_info + SH_UPCALL_PENDING], 0
        xor     eax, eax
        xchg    [shared_info + SH_PENDING_SEL], eax
        xor     eax, eax
        xchg    [shared_info + SH_PENDING_SEL + 4], eax
        xor     eax, eax
        xchg    [shared_info + SH_PENDING_SEL + 8], eax
        mov     ecx, 32
.word:  xor     eax, eax
        xchg    [shared_info + SH_EVTCHN_PENDING + ecx * 4 - 4], eax
        dec     ecx
        jnz     .word
        pop     ecx
        pop     eax
        iret

; xen_sleep_until(lo, hi) — plat_sleep_until on Xen: a single-shot timer at
; the deadline (Xen time and our clock are the same), then halt until an
; event.  A deadline already past fires at once.
xen_sleep_until:
        push    ebx
.again: call    plat_monotonic_ns
        mov     ecx, [esp + 8]
        sub     ecx, eax
        mov     ecx, [esp + 12]
        sbb     ecx, edx
        jb      .done                   ; reached
        mov     eax, [esp + 8]          ; struct vcpu_set_singleshot_timer:
        mov     [xen_arg], eax          ; timeout_abs_ns, flags
        mov     eax, [esp + 12]
        mov     [xen_arg + 4], eax
        mov     dword [xen_arg + 8], 0
        mov     ebx, VCPUOP_set_singleshot_timer
        xor     ecx, ecx                ; vCPU 0
        mov     edx, xen_arg
        call    HYPERCALL(HC_vcpu_op)
        sti
        hlt
        cli
        jmp     .again
.done:  pop     ebx
        ret

; xen_realtime_ns() -> edx:eax: Xen's wall clock at its time 0
; (wc_sec, wc_nsec, rewritten under an odd wc_version) plus its time now.
xen_realtime_ns:
        push    ebx
        push    esi
        push    edi
.retry: mov     edi, [shared_info + SH_WC_VERSION]
        test    edi, 1
        jnz     .retry
        mov     eax, [shared_info + SH_WC_SEC]
        mov     ecx, 1000000000
        mul     ecx
        add     eax, [shared_info + SH_WC_NSEC]
        adc     edx, 0
        cmp     edi, [shared_info + SH_WC_VERSION]
        jne     .retry
        mov     ebx, eax
        mov     esi, edx
        call    plat_monotonic_ns
        add     eax, ebx
        adc     edx, esi
        pop     edi
        pop     esi
        pop     ebx
        ret

; plat_cpu_ns() -> edx:eax: the time the VM has spent running, in ns.  On
; Xen, the vCPU's time in RUNSTATE_running (blocked and preempted time
; excluded); elsewhere, the clock less the time halted in plat_sleep_until.
plat_cpu_ns:
        cmp     byte [xen], 0
        jne     .xen
        call    plat_monotonic_ns
        sub     eax, [idle_ns]
        sbb     edx, [idle_ns + 4]
        ret
.xen:   push    ebx
        mov     ebx, VCPUOP_get_runstate_info
        xor     ecx, ecx
        mov     edx, runstate
        call    HYPERCALL(HC_vcpu_op)
        mov     eax, [runstate + RS_RUNNING]
        mov     edx, [runstate + RS_RUNNING + 4]
        pop     ebx
        ret

; ring_write(buf, len) — plat_write for a guest domain: the bytes into the
; PV console ring's output half, then a notification on its event channel
; for xenconsoled.  A full ring waits (1 ms sleeps) for xenconsoled to
; read.  x86 keeps stores in order, so the bytes are in the ring before
; the producer index that publishes them.
ring_write:
        push    ebx
        push    esi
        push    edi
        push    ebp
        mov     esi, [esp + 20]         ; buf
        mov     ebp, [esp + 24]         ; len
        mov     edi, [cons_ring]
.more:  test    ebp, ebp
        jle     .done
.space: mov     eax, [edi + CONS_OUT_PROD]
        mov     edx, eax
        sub     edx, [edi + CONS_OUT_CONS]      ; bytes not yet read
        neg     edx
        add     edx, CONS_OUT_SIZE              ; room
        jg      .room
        call    ring_wait
        jmp     .space
.room:  cmp     edx, ebp
        jbe     .take
        mov     edx, ebp
.take:  sub     ebp, edx
.byte:  mov     ecx, eax
        and     ecx, CONS_OUT_SIZE - 1
        mov     bl, [esi]
        mov     [edi + CONS_OUT + ecx], bl
        inc     esi
        inc     eax
        dec     edx
        jnz     .byte
        mov     [edi + CONS_OUT_PROD], eax
        call    ring_notify
        jmp     .more
.done:  pop     ebp
        pop     edi
        pop     esi
        pop     ebx
        ret

; ring_notify — EVTCHNOP_send on the console's channel.  clobbers eax ecx edx
ring_notify:
        push    ebx
        mov     eax, [cons_port]
        mov     [xen_arg], eax
        mov     ebx, EVTCHNOP_send
        mov     ecx, xen_arg
        call    HYPERCALL(HC_event_channel_op)
        pop     ebx
        ret

; ring_wait — about a millisecond, blocked (or spinning without Xen's
; timer).  clobbers eax ecx edx
ring_wait:
        cmp     byte [xen_events], 0
        je      .spin
        call    plat_monotonic_ns
        add     eax, 1000000
        adc     edx, 0
        push    edx
        push    eax
        call    xen_sleep_until
        add     esp, 8
        ret
.spin:  mov     ecx, 100000
.p:     pause
        dec     ecx
        jnz     .p
        ret

; ring_drain — until xenconsoled has read everything written, or for
; CONS_DRAIN_MS at most.  clobbers eax ecx edx
ring_drain:
        cmp     byte [xen_ring], 0
        je      .done
        push    esi
        push    edi
        mov     edi, [cons_ring]
        mov     esi, CONS_DRAIN_MS
.check: mov     eax, [edi + CONS_OUT_PROD]
        cmp     eax, [edi + CONS_OUT_CONS]
        je      .drained
        call    ring_notify
        call    ring_wait
        dec     esi
        jnz     .check
.drained:
        pop     edi
        pop     esi
.done:  ret

; exit_line — in: [esp + 4] = the exit status.  Writes "xbeam: exit status
; N" to stderr (Xen's log): a guest domain has no other way to hand the
; number to whoever started it (the Xen harness reads it there).
exit_line:
        mov     eax, [esp + 4]
        mov     edi, exit_digits + 12
        mov     byte [edi - 1], 10
        dec     edi
        mov     ecx, 10
        xor     esi, esi                ; negative?
        test    eax, eax
        jns     .digit
        neg     eax
        inc     esi
.digit: xor     edx, edx
        div     ecx
        add     dl, '0'
        dec     edi
        mov     [edi], dl
        test    eax, eax
        jnz     .digit
        test    esi, esi
        jz      .write
        dec     edi
        mov     byte [edi], '-'
.write: push    msg_exit_len
        push    msg_exit
        call    plat_write_err
        add     esp, 8
        mov     eax, exit_digits + 12
        sub     eax, edi
        push    eax
        push    edi
        call    plat_write_err
        add     esp, 8
        ret

%ifdef XBEAM_PAGING
%include "paging.inc"
%endif
