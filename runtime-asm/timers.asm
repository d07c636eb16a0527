; runtime-asm/timers.asm — time, and timers that send messages.
;
; erlang:send_after/3,4, start_timer/3,4, cancel_timer/1,2, read_timer/1,2,
; and the timeouts of `receive ... after`.  A timer is a block of its own
; (xb_alloc), outside every heap: the list link, the deadline (monotonic
; ns), the reference it is known by, the destination, and a copy of the
; message, which the collector never sees and which goes to the
; destination's heap when the timer fires; a receive timeout has no
; message and makes its process time out.  There is one list, sorted by
; deadline: the scheduler fires what is due (xb_fire_timers) and sleeps
; until its head (xb_sleep_until_timer).
;
; Time: monotonic_time counts from start-up; system_time from the epoch
; (plat_realtime_ns).
%include "macros.inc"

; A timer block.
T_NEXT     equ 0
T_LO       equ 4                    ; the deadline
T_HI       equ 8
T_REF      equ 12                   ; the reference: header and 3 words, as on a heap
T_DEST     equ 28                   ; a pid or a registered name
T_KIND     equ 32                   ; one of the kinds below
T_MSG      equ 36                   ; the message (its copy follows)
T_BYTES    equ 40                   ; the block's size, for xb_free
T_BINS     equ 44                   ; the message's ProcBins, chained: released with the block
T_SIZE     equ 48

TIMER_SEND    equ 0                 ; send_after: Msg
TIMER_START   equ 1                 ; start_timer: {timeout, Ref, Msg}
TIMER_RECEIVE equ 2                 ; a receive's timeout: T_DEST is the waiting pid

global xb_timers, xb_fire_timers, xb_receive_timer, xb_timer_cancel, xb_sleep_until_timer
global xb_erl_send_after_3, xb_erl_start_timer_3, xb_erl_send_after_4, xb_erl_start_timer_4
global xb_erl_cancel_timer_1, xb_erl_cancel_timer_2, xb_erl_read_timer_1, xb_erl_read_timer_2
global xb_erl_monotonic_time_0, xb_erl_monotonic_time_1, xb_erl_system_time_0, xb_erl_system_time_1
global xb_erl_timestamp_0, xb_xbeam_cpu_time_1, xb_xbeam_since_entry_1, xb_xbeam_first_output_1
extern xb_xregs, xb_alloc, xb_free, xb_gc, xb_raise_atom, xb_big_from_int64, xb_boot_ns
extern xb_process_lookup, xb_deliver, xb_copy_to_lasting_block, xb_copy_chain, xb_new_ref
extern xb_refc_release_chain
extern xb_wake, plat_monotonic_ns, plat_realtime_ns, plat_sleep_until, plat_cpu_ns, plat_since_entry_ns, xb_first_output_ns

section .bss
xb_timers: resd 1                   ; the soonest timer, or 0
t_new:     resd 1
t_kind:    resd 1
t_fire:    resd 6                   ; {timeout, Ref, Msg} as it is sent

section .text

badarg:
  mov eax, ATOM_badarg
  jmp xb_raise_atom

; ---------------------------------------------------------------------------
; Starting timers.

;; send_after(Time, Dest, Msg) / start_timer(Time, Dest, Msg), and the /4
;; forms, whose options must be [] for now ({abs, _} raises badarg).
xb_erl_send_after_4:
  cmp dword [xb_xregs + 12], NIL
  jne badarg
xb_erl_send_after_3:
  mov dword [t_kind], TIMER_SEND
  jmp start
xb_erl_start_timer_4:
  cmp dword [xb_xregs + 12], NIL
  jne badarg
xb_erl_start_timer_3:
  mov dword [t_kind], TIMER_START
start:
  mov eax, [xb_xregs]               ; Time: 0..2^27 ms
  mov edx, eax
  and edx, TAG_IMMED1_MASK
  cmp edx, TAG_SMALL
  jne badarg
  test eax, eax
  js badarg
  mov eax, [xb_xregs + 4]           ; Dest: a pid or an atom
  mov edx, eax
  and edx, TAG_IMMED1_MASK
  cmp edx, TAG_PID
  je .dest_ok
  and eax, TAG_IMMED2_MASK
  cmp eax, TAG_ATOM
  jne badarg
.dest_ok:
  ; The reference, on our heap (the caller gets it).
  mov eax, 4
  mov ecx, 3
  ENSURE_HEAP
  call xb_new_ref
  mov [xb_xregs + 12], eax          ; x3
  ; The block: header, then the message's copy (a reference-counted
  ; binary in it stays one, referenced until the block is freed).
  mov eax, [xb_xregs + 8]
  mov ebx, T_SIZE
  call xb_copy_to_lasting_block
  mov [eax + T_BYTES], ecx
  mov [eax + T_MSG], edx
  mov ecx, [xb_copy_chain]
  mov [eax + T_BINS], ecx
  mov [t_new], eax
  mov ebx, eax
  mov edx, [xb_xregs + 12]          ; the reference, copied
  mov ecx, [edx - TAG_BOXED]
  mov [ebx + T_REF], ecx
  mov ecx, [edx - TAG_BOXED + 4]
  mov [ebx + T_REF + 4], ecx
  mov ecx, [edx - TAG_BOXED + 8]
  mov [ebx + T_REF + 8], ecx
  mov ecx, [edx - TAG_BOXED + 12]
  mov [ebx + T_REF + 12], ecx
  mov ecx, [xb_xregs + 4]
  mov [ebx + T_DEST], ecx
  mov ecx, [t_kind]
  mov [ebx + T_KIND], ecx
  mov eax, [xb_xregs]
  sar eax, SMALL_SHIFT
  call deadline_ms
  mov ebx, [t_new]
  mov [ebx + T_LO], eax
  mov [ebx + T_HI], edx
  call insert
  mov eax, [xb_xregs + 12]
  mov [xb_xregs], eax
  ret

;; xb_receive_timer — arm the running process's receive timeout.
;;   in: eax = milliseconds (> 0), ebp = the process.  out: P_TIMER set.
;;   clobbers eax ebx ecx edx.
xb_receive_timer:
  call deadline_ms
  push edx
  push eax
  mov eax, T_SIZE
  call xb_alloc
  mov ebx, eax
  pop dword [ebx + T_LO]
  pop dword [ebx + T_HI]
  mov dword [ebx + T_BYTES], T_SIZE
  mov dword [ebx + T_BINS], 0
  mov dword [ebx + T_KIND], TIMER_RECEIVE
  mov eax, [ebp + P_ID]
  mov [ebx + T_DEST], eax
  mov [ebp + P_TIMER], ebx
  ; falls through

;; insert — in: ebx = a timer with its deadline: into the list, in order.
;; clobbers eax ecx edx.
insert:
  mov ecx, xb_timers - T_NEXT       ; a fake timer whose T_NEXT is the head
.find:
  mov eax, [ecx + T_NEXT]
  test eax, eax
  jz .here
  mov edx, [eax + T_HI]
  cmp edx, [ebx + T_HI]
  jg .here
  jl .next
  mov edx, [eax + T_LO]
  cmp edx, [ebx + T_LO]
  ja .here
.next:
  mov ecx, eax
  jmp .find
.here:
  mov [ebx + T_NEXT], eax
  mov [ecx + T_NEXT], ebx
  ret

;; deadline_ms — in: eax = milliseconds.  out: edx:eax = the monotonic
;; time they are from now, in ns.  clobbers ecx.
deadline_ms:
  push eax
  call plat_monotonic_ns
  pop ecx
  push edx
  push eax
  mov eax, ecx
  mov ecx, 1000000
  mul ecx
  pop ecx
  add eax, ecx
  pop ecx
  adc edx, ecx
  ret

;; free_timer — in: eax = a timer's block, out of the list: its message's
;; binaries released, and the block freed.  clobbers eax ecx edx.
free_timer:
  push eax
  mov eax, [eax + T_BINS]
  call xb_refc_release_chain
  pop eax
  mov ecx, [eax + T_BYTES]
  jmp xb_free

;; xb_timer_cancel — in: eax = a timer in the list: out of it, and freed.
;; clobbers eax ecx edx.
xb_timer_cancel:
  mov ecx, xb_timers - T_NEXT
.find:
  mov edx, [ecx + T_NEXT]
  test edx, edx
  jz .done                          ; (not there: nothing to free)
  cmp edx, eax
  je .unlink
  mov ecx, edx
  jmp .find
.unlink:
  mov edx, [eax + T_NEXT]
  mov [ecx + T_NEXT], edx
  jmp free_timer
.done:
  ret

;; xb_sleep_until_timer — the scheduler has nothing to run: sleep until
;; the first timer is due, or for as long as the platform can say.
;; clobbers eax ecx edx.
xb_sleep_until_timer:
  mov edx, [xb_timers]
  test edx, edx
  jz .forever
  push dword [edx + T_HI]
  push dword [edx + T_LO]
  jmp .sleep
.forever:
  push dword 0x7fffffff
  push dword -1
.sleep:
  call plat_sleep_until
  add esp, 8
  ret

; ---------------------------------------------------------------------------
; Firing them.

;; xb_fire_timers — every timer that is due: its message sent, or its
;; process timed out.  Runs in the scheduler.  clobbers eax ebx ecx edx edi.
xb_fire_timers:
  call plat_monotonic_ns
  mov [t_now], eax
  mov [t_now + 4], edx
.next:
  mov ebx, [xb_timers]
  test ebx, ebx
  jz .done
  mov eax, [ebx + T_HI]
  cmp eax, [t_now + 4]
  jg .done
  jl .due
  mov eax, [ebx + T_LO]
  cmp eax, [t_now]
  ja .done
.due:
  mov eax, [ebx + T_NEXT]
  mov [xb_timers], eax
  mov [t_new], ebx
  mov eax, [ebx + T_DEST]
  call xb_process_lookup
  test eax, eax
  jz .free                          ; nobody there: the message is dropped
  cmp dword [ebx + T_KIND], TIMER_RECEIVE
  je .timed_out
  mov edx, eax
  mov eax, [ebx + T_MSG]
  cmp dword [ebx + T_KIND], TIMER_SEND
  je .send
  mov dword [t_fire], (3 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov dword [t_fire + 4], ATOM_timeout
  lea ecx, [ebx + T_REF + TAG_BOXED]
  mov [t_fire + 8], ecx
  mov [t_fire + 12], eax
  mov eax, t_fire + TAG_BOXED
.send:
  call xb_deliver
  jmp .free
.timed_out:                         ; the receive's `after` runs when it is scheduled
  mov dword [eax + P_TIMER], 0
  or dword [eax + P_FLAGS], PF_TIMED_OUT
  call xb_wake
.free:
  mov eax, [t_new]
  call free_timer
  jmp .next
.done:
  ret

; ---------------------------------------------------------------------------
; Cancelling and reading.

;; find_timer — in: x0 = a reference.  out: ebx = its timer and ecx = the
;; one before it (or the fake head), or ebx = 0.  Raises badarg for a
;; non-reference.  clobbers eax edx.
find_timer:
  mov edx, [xb_xregs]
  mov eax, edx
  and eax, TAG_PRIMARY_MASK
  cmp eax, TAG_BOXED
  jne .bad
  cmp dword [edx - TAG_BOXED], (3 << HDR_ARITY_SHIFT) | HDR_REF
  jne .bad
  mov ecx, xb_timers - T_NEXT
.next:
  mov ebx, [ecx + T_NEXT]
  test ebx, ebx
  jz .done
  cmp dword [ebx + T_KIND], TIMER_RECEIVE
  je .skip                          ; (no reference)
  mov eax, [ebx + T_REF + 4]
  cmp eax, [edx - TAG_BOXED + 4]
  jne .skip
  mov eax, [ebx + T_REF + 8]
  cmp eax, [edx - TAG_BOXED + 8]
  jne .skip
  mov eax, [ebx + T_REF + 12]
  cmp eax, [edx - TAG_BOXED + 12]
  je .done
.skip:
  mov ecx, ebx
  jmp .next
.done:
  ret
.bad:
  add esp, 4
  jmp badarg

;; remaining — in: ebx = a timer.  out: eax = the milliseconds left (a
;; small; 0 when due).  clobbers ecx edx.
remaining:
  call plat_monotonic_ns
  mov ecx, [ebx + T_LO]
  sub ecx, eax
  mov eax, [ebx + T_HI]
  sbb eax, edx
  js .zero
  mov edx, eax
  mov eax, ecx
  mov ecx, 1000000
  div ecx
  TAG_SMALL_INT eax
  ret
.zero:
  mov eax, (0 << SMALL_SHIFT) | TAG_SMALL
  ret

;; cancel_timer(Ref), cancel_timer(Ref, Options): the milliseconds that
;; were left, or false.  Options ({async, _}, {info, _}) change nothing
;; here: cancelling is synchronous.
xb_erl_cancel_timer_2:
xb_erl_cancel_timer_1:
  call find_timer
  test ebx, ebx
  jz .false
  mov eax, [ebx + T_NEXT]
  mov [ecx + T_NEXT], eax
  call remaining
  push eax
  mov eax, ebx
  call free_timer
  pop eax
  mov [xb_xregs], eax
  ret
.false:
  mov dword [xb_xregs], ATOM_false
  ret

;; read_timer(Ref), read_timer(Ref, Options)
xb_erl_read_timer_2:
xb_erl_read_timer_1:
  call find_timer
  test ebx, ebx
  jz xb_erl_cancel_timer_1.false
  call remaining
  mov [xb_xregs], eax
  ret

; ---------------------------------------------------------------------------
; Time.

;; erlang:monotonic_time/0,1 — since start-up, in native units (ns) or the
;; unit named by x0.
xb_erl_monotonic_time_0:
  mov dword [xb_xregs], ATOM_native
xb_erl_monotonic_time_1:
  call plat_monotonic_ns
  sub eax, [xb_boot_ns]
  sbb edx, [xb_boot_ns + 4]
  jmp in_unit

;; xbeam:cpu_time(Unit) — the time the VM has spent running, not idle
;; (plat_cpu_ns: the process's CPU time on linux, the vCPU's running time
;; on Xen, the clock less the halts otherwise), for statistics(runtime).
xb_xbeam_cpu_time_1:
  call plat_cpu_ns
  jmp in_unit

;; xbeam:since_entry(Unit) — the time since the image's entry point
;; (plat_since_entry_ns): what booting took, for the boot benchmark.
xb_xbeam_since_entry_1:
  call plat_since_entry_ns
  jmp in_unit

;; xbeam:first_output(Unit) — when the first byte went to stdout, as the
;; time since the entry point; 0 before any.
xb_xbeam_first_output_1:
  mov eax, [xb_first_output_ns]
  mov edx, [xb_first_output_ns + 4]
  jmp in_unit

;; erlang:system_time/0,1 and os:system_time/0,1 — since the epoch.
xb_erl_system_time_0:
  mov dword [xb_xregs], ATOM_native
xb_erl_system_time_1:
  call plat_realtime_ns
  ; falls through

;; in_unit — in: edx:eax = nanoseconds, x0 = the unit.  out: x0 = the
;; time in it (a bignum past 2^27).
in_unit:
  mov ecx, [xb_xregs]
  mov ebx, 1000000000
  cmp ecx, ATOM_second
  je .divide
  mov ebx, 1000000
  cmp ecx, ATOM_millisecond
  je .divide
  mov ebx, 1000
  cmp ecx, ATOM_microsecond
  je .divide
  cmp ecx, ATOM_nanosecond
  je .term
  cmp ecx, ATOM_native
  je .term
  mov ebx, ecx                      ; an integer unit: parts per second
  and ebx, TAG_IMMED1_MASK
  cmp ebx, TAG_SMALL
  jne badarg
  sar ecx, SMALL_SHIFT
  jle badarg
  mov [t_unit], ecx
  mov ebx, 1000000000               ; seconds and the nanoseconds left
  call divide64
  mov [t_rest], ecx
  mov ecx, [t_unit]
  mov ebx, edx                      ; seconds * unit: (hi * unit) << 32 + lo * unit
  imul ebx, ecx
  mul ecx
  add edx, ebx
  mov [t_now], eax
  mov [t_now + 4], edx
  mov eax, [t_rest]                 ; + rest * unit / 10^9
  mul dword [t_unit]
  mov ebx, 1000000000
  div ebx
  xor edx, edx
  add eax, [t_now]
  adc edx, [t_now + 4]
  jmp .term
.divide:                            ; edx:eax /= ebx, a 64-bit quotient
  call divide64
.term:
  xor ecx, ecx                      ; no x register is live after a call
  CALLA xb_big_from_int64
  mov [xb_xregs], eax
  ret

;; divide64 — edx:eax /= ebx.  out: edx:eax, ecx = the remainder.
;; clobbers edi.
divide64:
  mov ecx, eax
  mov eax, edx
  xor edx, edx
  div ebx
  mov edi, eax                      ; the high half
  mov eax, ecx
  div ebx
  mov ecx, edx
  mov edx, edi
  ret

;; os:timestamp/0 and erlang:timestamp/0: {MegaSecs, Secs, MicroSecs}.
xb_erl_timestamp_0:
  mov eax, 4
  xor ecx, ecx
  ENSURE_HEAP
  call plat_realtime_ns
  mov ebx, 1000
  call divide64                     ; microseconds
  mov ebx, 1000000
  call divide64
  mov [esi + 12], ecx               ; MicroSecs
  call divide64                     ; edx:eax = MegaSecs, ecx = Secs
  TAG_SMALL_INT eax
  mov [esi + 4], eax
  TAG_SMALL_INT ecx
  mov [esi + 8], ecx
  mov eax, [esi + 12]
  TAG_SMALL_INT eax
  mov [esi + 12], eax
  mov dword [esi], (3 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  lea eax, [esi + TAG_BOXED]
  add esi, 16
  mov [xb_xregs], eax
  ret

section .bss
t_now: resd 2
t_unit: resd 1
t_rest: resd 1
