; runtime-asm/process.asm — processes: creation, scheduling, messages,
; receive timeouts, monitors, links, exit, registered names.
;
; One scheduler.  A process is a struct (P_* fields, abi.inc) with its own
; heap and its own machine stack; the table xb_procs maps a pid's number,
; modulo MAX_PROCESSES, to its struct (0: no such process; a struct whose
; P_ID is another pid: the slot was reused, the pid's process is gone).  The running process is ebp; the others
; are in the run queue (P_NEXT links, run_head/run_tail), waiting for a
; message (P_STATE = PS_WAITING), maybe with a receive timeout armed: a
; block in the one timer list of timers.asm (P_TIMER).
;
; Switching out (switch_out) pushes the live x registers and their count
; (as a small) on the process's own stack, above its aligned return
; address, and saves esp and HTOP in the struct.  Everything on a stack is
; then a term or an aligned return address, so the collector can scan a
; process that is not running (xb_gc_other), e.g. to make room for a
; message.  The scheduler itself (dispatch) runs on the platform's stack.
;
; A message is copied into the receiver's heap and appended to its queue,
; a list whose cells are mutated in place (the collector is not
; generational, so nothing forbids it).  P_MSG_SAVE is the cell before the
; next message `receive` looks at ([] for the first one): loop_rec reads
; there, loop_rec_end steps past a message, remove_message unlinks it.
;
; Exit: a process's function returns (reason normal) or an exception
; reaches the bottom of its stack.  Monitors get {'DOWN', Ref, process,
; Pid, Reason}; links get an exit signal (a message {'EXIT', Pid, Reason}
; when trapping exits, else the linked process exits too unless the reason
; is normal).  The first process is special: when it ends, the VM ends.
%include "macros.inc"

INITIAL_HEAP_WORDS equ 64             ; (the heap starts at twice what is needed)
INITIAL_STACK      equ 512
STACK_RED_ZONE     equ 384            ; room below the limit for what does not check it:
                                      ; a frame of up to 128 bytes (emit.ts), a call,
                                      ; xb_stack_grow itself, fragments' own pushes
MAX_STACK          equ 256 << 20
REDUCTIONS         equ 4000

global xb_procs, xb_new_process, xb_main_process, xb_sched_esp
global xb_yield, xb_yield_untraced, xb_wait, xb_wait_timeout, xb_timeout, xb_remove_message, xb_send, xb_wake
global xb_recv_mark, xb_recv_use
global xb_copy_to_lasting_block, xb_copy_chain, xb_new_ref
global xb_stack_grow, xb_stack_grow_by, xb_stack_grow_keep, xb_process_exit, xb_process_lookup, xb_deliver
global xb_erl_send_2, xb_erl_spawn_1, xb_erl_spawn_3, xb_erl_spawn_link_1, xb_erl_spawn_link_3
global xb_erl_monitor_2, xb_erl_monitor_3, xb_erl_alias_0, xb_erl_alias_1, xb_erl_unalias_1, xb_erl_demonitor_1, xb_erl_demonitor_2, xb_erl_make_ref_0
global xb_erl_group_leader_0, xb_erl_group_leader_2, xb_erl_register_2, xb_erl_unregister_1
global xb_erl_whereis_1, xb_erl_is_process_alive_1, xb_erl_link_1, xb_erl_unlink_1
global xb_erl_process_flag_2, xb_erl_exit_2, xb_erl_yield_0, xb_erl_self_0
global xb_erl_put_2, xb_erl_erase_1, xb_erl_get_0, xb_bif_get_1
global xb_heap_limit, xb_set_max_heap_2, xb_reserve_heap_2
global xb_true_1, xb_latin1_0, xb_nil_0, xb_process_item_2, xb_erl_processes_0, xb_memory_item_1, xb_gc_stats_0
extern xb_trace_entry, xb_trace_running
extern xb_refc_release_chain, xb_refc_adopt, xb_bitstring_data
extern xb_alloc, xb_free, xb_xregs, xb_gc, xb_gc_other, xb_raise_atom, xb_exit, xb_fatal
extern xb_fun_entry, xb_erl_apply_3, xb_eq_exact
extern xb_print_to_stderr, xb_print_bytes, xb_print_term, xb_print_flush
extern xb_next, plat_mem_start, xb_big_from_int64, xb_gc_stats
extern xb_timers, xb_fire_timers, xb_receive_timer, xb_timer_cancel, xb_sleep_until_timer

section .bss
unique_counter: resd 2
alignb 4
sched_dummy: resb PROCESS_SIZE       ; ebp in the scheduler: all zeros
xb_procs:    resd MAX_PROCESSES     ; pid number -> struct, 0 when there is none
registry:    resd MAX_ATOMS         ; atom index -> struct of the registered process
next_pid:    resd 1
run_head:    resd 1
run_tail:    resd 1
xb_main_process: resd 1
xb_sched_esp: resd 1                ; the scheduler's stack (the platform's)
ref_counter: resd 2
new_proc:    resd 1                 ; spawn: the child, while its arguments are copied
exiting:     resd 1                 ; process_exit: the process, its reason, its pid
exit_reason: resd 1
exit_pid:    resd 1
scratch:     resd 16                ; messages the runtime builds, copied from here
deliver_term: resd 1
deliver_to:  resd 1
copy_dest:   resd 1                 ; copy_out: the process whose heap it copies into
xb_copy_chain: resd 1               ; xb_copy_to_lasting_block: the copy's ProcBins
into_block:  resd 1                 ; copy_out: 1 while copying into a block
dm_ref:      resd 1                 ; demonitor: the reference, the target's pid

MAX_PID_NUMBER equ 1 << 28          ; a pid term holds 28 bits of number

section .text

; ---------------------------------------------------------------------------
; Creating processes.

;; xb_new_process — a process with an empty stack, not yet runnable.
;;   in:  eax = heap words it needs at least.
;;   out: eax = the struct.  clobbers ebx ecx edx edi.
xb_new_process:
  cmp eax, INITIAL_HEAP_WORDS
  jae .heap_size
  mov eax, INITIAL_HEAP_WORDS
.heap_size:
  lea ebx, [eax + eax]              ; twice what it needs, for room to grow
  ; The next pid number whose slot (number mod MAX_PROCESSES) is free:
  ; slots are reused, numbers are not (a stale pid finds no process).
  xor ecx, ecx
.slot:
  mov edx, [next_pid]
  cmp edx, MAX_PID_NUMBER
  jae .too_many
  inc dword [next_pid]
  and edx, MAX_PROCESSES - 1
  cmp dword [xb_procs + 4 * edx], 0
  je .free_slot
  inc ecx
  cmp ecx, MAX_PROCESSES
  jb .slot
  jmp .too_many
.free_slot:
  mov edx, [next_pid]
  dec edx                           ; the number
  mov eax, PROCESS_SIZE
  call xb_alloc
  mov edi, eax
  xor ecx, ecx
.zero:
  mov dword [edi + ecx], 0
  add ecx, 4
  cmp ecx, PROCESS_SIZE
  jb .zero
  push edx
  and edx, MAX_PROCESSES - 1
  mov [xb_procs + 4 * edx], edi
  pop edx
  shl edx, PID_SHIFT
  or edx, TAG_PID
  mov [edi + P_ID], edx
  mov ecx, P_ROOTS_FIRST
.roots:
  mov dword [edi + ecx], NIL
  add ecx, 4
  cmp ecx, P_ROOTS_END
  jb .roots
  mov [edi + P_GROUP_LEADER], edx   ; its own, until it is given one
  mov dword [edi + P_BIN_VLIMIT], BIN_VHEAP_MIN
  mov [edi + P_HEAP_WORDS], ebx
  lea eax, [4 * ebx]
  call xb_alloc
  mov [edi + P_HEAP], eax
  mov [edi + P_HTOP], eax
  lea eax, [eax + 4 * ebx]
  mov [edi + P_HEND], eax
  mov eax, INITIAL_STACK
  mov [edi + P_STACK_BYTES], eax
  call xb_alloc
  mov [edi + P_STACK_BLOCK], eax
  lea ecx, [eax + STACK_RED_ZONE]
  mov [edi + P_STACK_LIMIT], ecx
  add eax, INITIAL_STACK
  mov [edi + P_STACK_BASE], eax
  mov [edi + P_ESP], eax
  mov dword [edi + P_FCALLS], REDUCTIONS
  mov dword [edi + P_STATE], PS_RUNNABLE
  mov eax, edi
  ret
.too_many:
  mov eax, ATOM_system_limit
  jmp xb_raise_atom

;; spawn_common — the child runs `entry` with x0..x(n-1) = the x registers
;; of the parent (copied into the child's heap).
;;   in: ecx = n, edx = the entry (an aligned label).  out: x0 = the pid.
;; From Erlang code (CALLA): may collect the parent.
spawn_common:
  push edx                          ; the entry (nothing below collects)
  push ecx                          ; n
  ; The size of the arguments.
  xor ecx, ecx
  xor ebx, ebx
.size:
  cmp ebx, [esp]
  jae .sized
  mov eax, [xb_xregs + 4 * ebx]
  push ebx
  call size_of
  pop ebx
  inc ebx
  jmp .size
.sized:
  lea eax, [ecx + 8]
  call xb_new_process
  mov [new_proc], eax
  mov edx, eax
  mov eax, [ebp + P_GROUP_LEADER]
  mov [edx + P_GROUP_LEADER], eax
  ; Copy the arguments into its heap.
  mov [copy_dest], edx
  mov edi, [edx + P_HTOP]
  xor ebx, ebx
.copy:
  cmp ebx, [esp]
  jae .copied
  mov eax, [xb_xregs + 4 * ebx]
  push ebx
  call copy_out
  pop ebx
  mov [scratch + 4 * ebx], eax
  inc ebx
  jmp .copy
.copied:
  mov edx, [new_proc]
  mov [edx + P_HTOP], edi
  ; Its stack: the entry as a return address, the x registers, their count.
  mov edi, [edx + P_STACK_BASE]
  pop ecx                           ; n
  pop eax                           ; entry
  sub edi, 4
  mov [edi], eax
  mov ebx, ecx
.push_x:
  dec ebx
  js .pushed
  sub edi, 4
  mov eax, [scratch + 4 * ebx]
  mov [edi], eax
  jmp .push_x
.pushed:
  sub edi, 4
  TAG_SMALL_INT ecx
  mov [edi], ecx
  mov [edx + P_ESP], edi
  mov eax, edx
  call enqueue
  mov eax, [edx + P_ID]
  mov [xb_xregs], eax
  ret

;; The first code of a spawned process.  Aligned: they sit on its stack as
;; return addresses.
align 4
start_fun:                          ; x0 = the fun
  mov eax, [xb_xregs]
  xor ecx, ecx
  CALLA xb_fun_entry
  CALLR edx
  jmp exit_normal
align 4
start_mfa:                          ; x0, x1, x2 = M, F, Args
  CALLA xb_erl_apply_3
exit_normal:
  mov eax, ATOM_normal
  jmp xb_process_exit

;; spawn(Fun), spawn(M, F, Args), and the _link variants.
xb_erl_spawn_1:
  call check_fun0
  mov ecx, 1
  mov edx, start_fun
  jmp spawn_common
xb_erl_spawn_3:
  call check_mfa
  mov ecx, 3
  mov edx, start_mfa
  jmp spawn_common
xb_erl_spawn_link_1:
  call check_fun0
  mov ecx, 1
  mov edx, start_fun
  jmp spawn_link
xb_erl_spawn_link_3:
  call check_mfa
  mov ecx, 3
  mov edx, start_mfa
spawn_link:
  CALLA spawn_common
  mov eax, [xb_xregs]
  mov [xb_xregs + 4], eax
  jmp link_to                       ; x0 stays the pid

check_fun0:
  mov eax, [xb_xregs]
  mov edx, eax
  and edx, TAG_PRIMARY_MASK
  cmp edx, TAG_BOXED
  jne .bad
  mov edx, [eax - TAG_BOXED]
  and edx, HDR_SUBTAG_MASK
  cmp edx, HDR_FUN
  jne .bad
  ret
.bad:
  add esp, 4
  jmp badarg

check_mfa:
  mov eax, [xb_xregs]
  and eax, TAG_IMMED2_MASK
  cmp eax, TAG_ATOM
  jne .bad
  mov eax, [xb_xregs + 4]
  and eax, TAG_IMMED2_MASK
  cmp eax, TAG_ATOM
  jne .bad
  ret
.bad:
  add esp, 4
  jmp badarg

badarg:
  mov eax, ATOM_badarg
  jmp xb_raise_atom

; ---------------------------------------------------------------------------
; Scheduling.

;; enqueue — in: eax = a process; puts it at the end of the run queue.
;; clobbers ecx.
enqueue:
  mov dword [eax + P_NEXT], 0
  mov ecx, [run_tail]
  test ecx, ecx
  jz .empty
  mov [ecx + P_NEXT], eax
  mov [run_tail], eax
  ret
.empty:
  mov [run_head], eax
  mov [run_tail], eax
  ret

;; wake — in: eax = a process that got a message or a signal: runnable
;; again if it was waiting.  clobbers ecx.
xb_wake:
wake:
  cmp dword [eax + P_STATE], PS_WAITING
  jne .done
  mov dword [eax + P_STATE], PS_RUNNABLE
  jmp enqueue
.done:
  ret

;; xb_yield — the reductions ran out, at a function's entry.
;;   in: ecx = live x registers (the arity).  clobbers eax ebx ecx edx edi.
xb_yield:
  cmp dword [ebp + P_TRACE], 0      ; traced: every entry comes here (trace.asm)
  jne xb_trace_entry
xb_yield_untraced:
  cmp dword [run_head], 0           ; others to run, or timers to look at:
  jne .switch                       ; the scheduler does that
  test dword [ebp + P_TRACE], PT_RUNNING
  jnz .switch                       ; (traced so: out and in all the same)
  cmp dword [xb_timers], 0
  je .alone
.switch:
  mov dword [ebp + P_STATE], PS_RUNNABLE
  mov eax, ebp
  push ecx
  call enqueue
  pop ecx
  jmp switch_out
.alone:
  mov eax, REDUCTIONS               ; (a BIF may have used more than the slice)
  sub eax, [ebp + P_FCALLS]
  add [ebp + P_REDUCTIONS], eax
  mov dword [ebp + P_FCALLS], REDUCTIONS
  jmp trace_slice

;; trace_slice — a new slice of a traced process: P_FCALLS stays at 1 so
;; that every function entry reaches xb_yield, and the slice is counted in
;; P_TRACE_REDS (runtime-asm/trace.asm).  Nothing for others.
trace_slice:
  cmp dword [ebp + P_TRACE], 0
  je .done
  mov dword [ebp + P_TRACE_REDS], REDUCTIONS
  mov dword [ebp + P_FCALLS], 1
.done:
  ret

;; erlang:yield/0
xb_erl_yield_0:
  xor ecx, ecx
  CALLA xb_yield
  mov dword [xb_xregs], ATOM_true
  ret

;; switch_out — in: ecx = live x registers, P_STATE set, the caller's
;; aligned return address on top of the stack.  Saves the process and runs
;; another; returns to the caller when this one is scheduled again.  A
;; process traced with `running` tells its tracer (trace.asm).
switch_out:
  test dword [ebp + P_TRACE], PT_RUNNING
  jz .untraced
  mov eax, ATOM_out
  mov edx, [esp]
  CALLA xb_trace_running
.untraced:
  lea edx, [4 * ecx + 4]            ; room for the x registers and their count
  neg edx
  add edx, esp
  cmp edx, [ebp + P_STACK_LIMIT]
  jae .room
  call xb_stack_grow_keep
.room:
  mov edx, ecx
.push:
  dec edx
  js .pushed
  push dword [xb_xregs + 4 * edx]
  jmp .push
.pushed:
  TAG_SMALL_INT ecx
  push ecx
  mov eax, REDUCTIONS
  sub eax, [ebp + P_FCALLS]
  add [ebp + P_REDUCTIONS], eax
  mov [ebp + P_ESP], esp
  mov [ebp + P_HTOP], esi
  ; falls through

;; dispatch — run the next process.  Never returns.  While it picks one,
;; ebp is a dummy process (so that STACK_CHECK in what it calls finds no
;; stack of its own to grow).
dispatch:
  mov esp, [xb_sched_esp]
  mov ebp, sched_dummy
.again:
  cmp dword [xb_timers], 0
  je .pick
  call xb_fire_timers
.pick:
  mov eax, [run_head]
  test eax, eax
  jz .idle
  mov edx, [eax + P_NEXT]
  mov [run_head], edx
  test edx, edx
  jnz .dequeued
  mov dword [run_tail], 0
.dequeued:
  mov ebp, eax
  test dword [ebp + P_FLAGS], PF_EXIT_PENDING
  jnz .exit_signal
  mov dword [ebp + P_STATE], PS_RUNNING
  mov dword [ebp + P_FCALLS], REDUCTIONS
  call trace_slice
  mov esi, [ebp + P_HTOP]
  mov esp, [ebp + P_ESP]
  pop ecx
  shr ecx, SMALL_SHIFT
  xor edx, edx
.pop:
  cmp edx, ecx
  jae .resume
  pop dword [xb_xregs + 4 * edx]
  inc edx
  jmp .pop
.resume:
  test dword [ebp + P_TRACE], PT_RUNNING
  jnz .traced_in
  ret
.traced_in:
  mov eax, ATOM_in
  mov edx, [esp]
  CALLA xb_trace_running
  ret
.exit_signal:                       ; killed by a signal while it was not running
  mov esi, [ebp + P_HTOP]
  mov eax, [ebp + P_EXIT_REASON]
  jmp xb_process_exit
.idle:
  ; Nothing to run: sleep until the first timer.  With no timer at all,
  ; every process waits for a message nobody can send: as in BEAM, the VM
  ; waits forever.
  call xb_sleep_until_timer
  jmp .again

; ---------------------------------------------------------------------------
; Receive.

;; xb_wait — `wait`: sleep until a message comes.  No x register is live.
xb_wait:
  mov dword [ebp + P_STATE], PS_WAITING
  xor ecx, ecx
  jmp switch_out

;; xb_wait_timeout — `wait_timeout`: in: eax = the timeout (ms or infinity).
;; out: eax = 1 when a message came (look at it), 0 when the time is up.
xb_wait_timeout:
  test dword [ebp + P_FLAGS], PF_TIMED_OUT
  jnz .timed_out
  cmp dword [ebp + P_TIMER], 0
  jne .wait                         ; armed before a message that did not match
  cmp eax, ATOM_infinity
  je .wait
  mov edx, eax
  and edx, TAG_IMMED1_MASK
  cmp edx, TAG_SMALL
  jne .bad
  sar eax, SMALL_SHIFT
  js .bad
  jz .now
  call xb_receive_timer
.wait:
  mov dword [ebp + P_STATE], PS_WAITING
  xor ecx, ecx
  CALLA switch_out
  test dword [ebp + P_FLAGS], PF_TIMED_OUT
  jnz .timed_out
  mov eax, 1
  ret
.timed_out:
  and dword [ebp + P_FLAGS], ~PF_TIMED_OUT
.now:
  xor eax, eax
  ret
.bad:
  mov eax, ATOM_timeout_value
  jmp xb_raise_atom

;; xb_timeout — `timeout`: the receive timed out; start over next time.
xb_timeout:
  mov dword [ebp + P_MSG_SAVE], NIL
  ; falls through
cancel_timer:
  and dword [ebp + P_FLAGS], ~PF_TIMED_OUT
  mov eax, ebp
  ; falls through

;; cancel_timer_of — in: eax = a process: its receive timeout, if armed,
;; is taken out of the timer list.  clobbers ecx edx; keeps eax.
cancel_timer_of:
  mov edx, [eax + P_TIMER]
  test edx, edx
  jz .done
  mov dword [eax + P_TIMER], 0
  push eax
  mov eax, edx
  call xb_timer_cancel
  pop eax
.done:
  ret

;; xb_recv_mark — recv_marker_reserve: remember where the queue ends now.
;; out: eax = the marker (a small: xbeam keeps one per process, and
;; recv_marker_use goes by the reference bound to it).
xb_recv_mark:
  mov eax, [ebp + P_MSG_LAST]
  mov [ebp + P_MARK_POS], eax
  mov dword [ebp + P_MARK_REF], NIL
  mov eax, (1 << SMALL_SHIFT) | TAG_SMALL
  ret

;; xb_recv_use — recv_marker_use: in: edx = a reference.  When the marker
;; is bound to it, the receive starts after the messages that were there
;; when it was set (none of them can hold a reference made after).
;; clobbers eax ebx ecx edx.
xb_recv_use:
  mov ebx, [ebp + P_MARK_REF]
  cmp ebx, NIL
  je .done
  mov eax, edx
  and eax, TAG_PRIMARY_MASK
  cmp eax, TAG_BOXED
  jne .done
  cmp dword [edx - TAG_BOXED], (3 << HDR_ARITY_SHIFT) | HDR_REF
  jne .done
  call same_ref
  jne .done
  mov eax, [ebp + P_MARK_POS]
  mov [ebp + P_MSG_SAVE], eax
.done:
  ret

;; xb_remove_message — `remove_message`: take the message loop_rec looked
;; at out of the queue.  clobbers eax ecx edx.
xb_remove_message:
  mov edx, [ebp + P_MSG_SAVE]       ; the cell before it, or []
  cmp edx, NIL
  je .first
  mov eax, [edx - TAG_LIST + 4]     ; the message's cell
  mov ecx, [eax - TAG_LIST + 4]
  mov [edx - TAG_LIST + 4], ecx
  jmp .last
.first:
  mov eax, [ebp + P_MSG_FIRST]
  mov ecx, [eax - TAG_LIST + 4]
  mov [ebp + P_MSG_FIRST], ecx
.last:
  cmp [ebp + P_MARK_POS], eax       ; the marker's cell goes: the one before it
  jne .mark_ok
  mov [ebp + P_MARK_POS], edx
.mark_ok:
  cmp [ebp + P_MSG_LAST], eax
  jne .done
  mov [ebp + P_MSG_LAST], edx
.done:
  mov dword [ebp + P_MSG_SAVE], NIL
  jmp cancel_timer

; ---------------------------------------------------------------------------
; Messages.

;; xb_process_lookup — in: eax = a term.  out: eax = the struct of the
;; live process it names (a pid, or a registered name), or 0.  ZF set when
;; it is neither a pid nor an atom.  clobbers edx.
xb_process_lookup:
  mov edx, eax
  and edx, TAG_IMMED1_MASK
  cmp edx, TAG_PID
  je .pid
  mov edx, eax
  and edx, TAG_IMMED2_MASK
  cmp edx, TAG_ATOM
  jne .neither
  shr eax, ATOM_SHIFT
  mov eax, [registry + 4 * eax]
  or edx, 1                         ; ZF clear
  ret
.pid:
  push eax
  shr eax, PID_SHIFT
  and eax, MAX_PROCESSES - 1
  mov eax, [xb_procs + 4 * eax]
  pop edx
  test eax, eax
  jz .none
  cmp [eax + P_ID], edx             ; the slot's process, or a later one
  jne .none
  or edx, 1
  ret
.none:
  xor eax, eax
  or edx, 1
  ret
.neither:
  xor eax, eax
  ret

;; xb_send — the `send` instruction and erlang:send/2: x0 = destination,
;; x1 = message; x0 = the message after.  Raises badarg for a bad
;; destination or an unregistered name.
xb_erl_send_2:
xb_send:
  mov eax, [xb_xregs]
  mov ebx, eax
  call xb_process_lookup
  jz .maybe_tuple
  test eax, eax
  jnz .found
  mov edx, ebx                      ; nobody: fine for a pid, badarg for a name
  and edx, TAG_IMMED1_MASK
  cmp edx, TAG_PID
  jne badarg
  jmp .done
.maybe_tuple:                       ; {Name, Node} on this node, or an alias
  mov edx, ebx
  and edx, TAG_PRIMARY_MASK
  cmp edx, TAG_BOXED
  jne badarg
  cmp dword [ebx - TAG_BOXED], (3 << HDR_ARITY_SHIFT) | HDR_REF
  je .alias
  cmp dword [ebx - TAG_BOXED], EXTERNAL_REF_HEADER
  je .done                          ; another node's alias: no connection, dropped
  cmp dword [ebx - TAG_BOXED], (2 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  jne badarg
  cmp dword [ebx - TAG_BOXED + 8], ATOM_nonode@nohost
  jne badarg
  mov eax, [ebx - TAG_BOXED + 4]
  mov edx, eax
  and edx, TAG_IMMED2_MASK
  cmp edx, TAG_ATOM
  jne badarg
  call xb_process_lookup
  test eax, eax
  jz badarg
.found:
  cmp eax, ebp
  je .self
  mov edx, eax
  mov eax, [xb_xregs + 4]
  call xb_deliver
.done:
  mov eax, [xb_xregs + 4]
  mov [xb_xregs], eax
  ret
.alias:                             ; a reference: to its owner while the alias is active
  mov eax, [ebx - TAG_BOXED + 12]
  test eax, eax
  jz .done                          ; not an alias: dropped, as in BEAM
  dec eax                           ; the owner's pid number
  mov edx, eax
  shl edx, PID_SHIFT
  or edx, TAG_PID
  and eax, MAX_PROCESSES - 1
  mov eax, [xb_procs + 4 * eax]
  test eax, eax
  jz .done
  cmp [eax + P_ID], edx
  jne .done
  mov ecx, [eax + P_ALIASES]        ; active?
.alias_next:
  cmp ecx, NIL
  je .done
  push ebx
  mov edx, ebx
  mov ebx, [ecx - TAG_LIST]
  call same_ref
  pop ebx
  je .found
  mov ecx, [ecx - TAG_LIST + 4]
  jmp .alias_next
.self:                              ; no copy: the heap is our own
  mov eax, 2
  mov ecx, 2
  ENSURE_HEAP
  mov eax, [xb_xregs + 4]
  call self_message
  jmp .done

;; exit_to_self — {'EXIT', eax, edx} to the running process's own queue
;; (6 words of room made).  self_message — the same for the message in eax,
;; already on our heap (2 words of room made).  clobbers eax ecx edx.
exit_to_self:
  mov dword [esi], (3 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov dword [esi + 4], ATOM_EXIT
  mov [esi + 8], eax
  mov [esi + 12], edx
  lea eax, [esi + TAG_BOXED]
  add esi, 16
self_message:
  mov edx, NIL
  CONS eax
  mov eax, ebp
  jmp append

;; append — in: eax = the process, edx = a cell [Msg | []] in its heap.
;; clobbers ecx.
append:
  mov ecx, [eax + P_MSG_LAST]
  cmp ecx, NIL
  je .empty
  mov [ecx - TAG_LIST + 4], edx
  mov [eax + P_MSG_LAST], edx
  ret
.empty:
  mov [eax + P_MSG_FIRST], edx
  mov [eax + P_MSG_LAST], edx
  ret

;; xb_deliver — a copy of a term to another process's queue.
;;   in: edx = the process (not the running one), eax = the term.
;;   clobbers eax ebx ecx edx edi.
xb_deliver:
  cmp dword [edx + P_STATE], PS_EXITING
  je .done
  call copy_into
  call append
  jmp wake
.done:
  ret

;; copy_into — a copy of a term in another process's heap, in a new cell.
;;   in: edx = the process, eax = the term.
;;   out: eax = the process, edx = a cell [Copy | []] in its heap.
;;   clobbers ebx ecx edi.
copy_into:
  mov [deliver_term], eax
  mov [deliver_to], edx
  xor ecx, ecx
  call size_of
  add ecx, 2
  mov edx, [deliver_to]
  mov eax, [edx + P_HEND]
  sub eax, [edx + P_HTOP]
  shr eax, 2
  cmp eax, ecx
  jae .room
  mov eax, ecx
  call xb_gc_other
  mov edx, [deliver_to]
.room:
  mov [copy_dest], edx
  mov edi, [edx + P_HTOP]
  add edi, 8                        ; the cell first, then the copy
  mov eax, [deliver_term]
  call copy_out
  mov edx, [deliver_to]
  mov ecx, [edx + P_HTOP]
  mov [edx + P_HTOP], edi
  mov [ecx], eax
  mov dword [ecx + 4], NIL
  lea edx, [ecx + TAG_LIST]
  mov eax, [deliver_to]
  ret

;; size_of — in: eax = a term, ecx = a count.  out: ecx += the words of
;; its copy.  clobbers eax edx.  Recurses on heads and on all but the last
;; element of a tuple.
size_of:
  STACK_CHECK
  mov edx, eax
  and edx, TAG_PRIMARY_MASK
  cmp edx, TAG_LIST
  je .list
  cmp edx, TAG_BOXED
  je .boxed
  ret
.list:
  add ecx, 2
  push eax
  mov eax, [eax - TAG_LIST]
  call size_of
  pop eax
  mov eax, [eax - TAG_LIST + 4]
  jmp size_of
.boxed:
  push ebx
  mov edx, [eax - TAG_BOXED]
  mov ebx, edx
  shr ebx, HDR_ARITY_SHIFT
  lea ecx, [ecx + ebx + 1]
  HOLDS_TERMS_JUMP edx, .terms
  pop ebx
  ret
.terms:                             ; ebx = words after the header
  test ebx, ebx
  jz .empty
  push eax
  push ebx
  mov ebx, 1
.element:                           ; all but the last recursively
  cmp ebx, [esp]
  jae .last
  mov eax, [esp + 4]
  mov eax, [eax - TAG_BOXED + 4 * ebx]
  call size_of
  inc ebx
  jmp .element
.last:
  mov eax, [esp + 4]
  mov eax, [eax - TAG_BOXED + 4 * ebx]
  add esp, 8
  pop ebx
  jmp size_of
.empty:
  pop ebx
  ret

;; xb_copy_to_lasting_block — a copy of a term in a block of its own
;; (xb_alloc), outside every heap, after a header the caller fills (a
;; timer's message, a persistent term).  A reference-counted binary stays
;; one: its Binary gets a reference from the block (a ProcBin, not
;; writable, chained from xb_copy_chain, on no process's chain), so a
;; large binary is not copied.  A block that is freed must release that
;; chain first (refc.asm's xb_refc_release_chain); a persistent term's
;; block never is.  No collection happens here.
;;   in:  eax = the term, ebx = the header's size in bytes.
;;   out: eax = the block, ecx = its size in bytes, edx = the copy.
;;   clobbers edi.
xb_copy_to_lasting_block:
  mov dword [into_block], 1
  mov dword [xb_copy_chain], 0
  push ebx
  push eax
  xor ecx, ecx
  call size_of
  lea eax, [4 * ecx + ebx]
  push eax
  call xb_alloc
  lea edi, [eax + ebx]
  mov ebx, eax
  mov eax, [esp + 4]
  call copy_out
  mov dword [into_block], 0
  mov edx, eax
  pop ecx
  mov eax, ebx
  add esp, 4
  pop ebx
  ret

;; copy_out — in: eax = a term, edi = where to put its copy (room made).
;; out: eax = the copy, edi advanced.  clobbers ecx edx.
copy_out:
  STACK_CHECK
  mov edx, eax
  and edx, TAG_PRIMARY_MASK
  cmp edx, TAG_LIST
  je .list
  cmp edx, TAG_BOXED
  je .boxed
  ret
.list:
  push ebx
  lea ecx, [edi + TAG_LIST]
  push ecx                          ; the result
.cell:
  mov ebx, edi                      ; the new cell
  add edi, 8
  push eax
  push ebx
  mov eax, [eax - TAG_LIST]
  call copy_out
  pop ebx
  mov [ebx], eax
  pop eax
  mov eax, [eax - TAG_LIST + 4]
  mov edx, eax
  and edx, TAG_PRIMARY_MASK
  cmp edx, TAG_LIST
  jne .tail
  lea edx, [edi + TAG_LIST]
  mov [ebx + 4], edx
  jmp .cell
.tail:
  push ebx
  call copy_out
  pop ebx
  mov [ebx + 4], eax
  pop eax
  pop ebx
  ret
.boxed:
  push ebx
  push esi
  lea esi, [eax - TAG_BOXED]        ; the original
  mov ebx, edi                      ; the copy
  mov ecx, [esi]
  mov [ebx], ecx
  mov edx, ecx
  shr ecx, HDR_ARITY_SHIFT
  lea edi, [edi + 4 * ecx + 4]
  HOLDS_TERMS_JUMP edx, .terms
.raw:                               ; ecx words of raw data
  test ecx, ecx
  jz .raw_done
  mov edx, [esi + 4 * ecx]
  mov [ebx + 4 * ecx], edx
  dec ecx
  jmp .raw
.raw_done:
  mov edx, [ebx]
  PROCBIN_JUMP edx, .procbin
  jmp .boxed_done
.procbin:
  cmp dword [into_block], 0
  jne .lasting_procbin
  mov edx, [copy_dest]              ; a ProcBin: one more reference
  call xb_refc_adopt
  jmp .boxed_done
.lasting_procbin:                   ; one more reference, held by the block
  mov ecx, [ebx + PB_VAL]
  inc dword [ecx + BB_REFC]
  mov ecx, [xb_copy_chain]
  mov [ebx + PB_NEXT], ecx
  mov [xb_copy_chain], ebx
  and dword [ebx + PB_FLAGS], ~PB_WRITABLE
  jmp .boxed_done
.terms:
  xor edx, edx
.element:
  inc edx
  cmp edx, ecx
  ja .boxed_done
  push ecx
  push edx
  mov eax, [esi + 4 * edx]
  call copy_out
  pop edx
  pop ecx
  mov [ebx + 4 * edx], eax
  jmp .element
.boxed_done:
  lea eax, [ebx + TAG_BOXED]
  pop esi
  pop ebx
  ret
; ---------------------------------------------------------------------------
; The end of a process.

;; xb_process_exit — in: ebp = the process, eax = its exit reason (a term
;; in its heap or in static memory).  Does not return.
xb_process_exit:
  cmp ebp, [xb_main_process]
  jne .not_main
  ; The first process ended (an exit signal: an uncaught exception is
  ; reported and ends the VM before it gets here): so does the VM.
  cmp eax, ATOM_normal
  je .main_normal
  push eax
  call xb_print_to_stderr
  mov eax, t_main_exit + 4
  mov ecx, [t_main_exit]
  call xb_print_bytes
  pop eax
  call xb_print_term
  mov eax, t_newline + 4
  mov ecx, 1
  call xb_print_bytes
  call xb_print_flush
  mov eax, 1
  jmp xb_exit
.main_normal:
  xor eax, eax
  jmp xb_exit
.not_main:
  mov esp, [xb_sched_esp]
  mov [exiting], ebp
  mov [exit_reason], eax
  mov eax, [ebp + P_ID]
  mov [exit_pid], eax
  mov dword [ebp + P_STATE], PS_EXITING
  call cancel_timer
  ; Its registered name.
  mov eax, [ebp + P_REG_NAME]
  cmp eax, NIL
  je .monitors
  shr eax, ATOM_SHIFT
  mov dword [registry + 4 * eax], 0
.monitors:                          ; {'DOWN', Ref, process, Pid, Reason} to each watcher
  mov ebp, [exiting]
  mov ebx, [ebp + P_MONITORS]
  cmp ebx, NIL
  je .links
  mov eax, [ebx - TAG_LIST + 4]
  mov [ebp + P_MONITORS], eax
  mov ebx, [ebx - TAG_LIST]         ; {Ref, Watcher}
  mov edx, [ebx - TAG_BOXED + 4]
  mov [dm_ref], edx
  mov eax, [ebx - TAG_BOXED + 8]
  call xb_process_lookup
  test eax, eax
  jz .monitors
  mov edx, [dm_ref]
  call forget_monitor               ; gone from the watcher's MONITORING: demonitored
  jc .monitors
  mov edx, [dm_ref]
  call remove_alias                 ; a monitor's alias ends with it
  mov edx, eax
  mov dword [scratch], (5 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov dword [scratch + 4], ATOM_DOWN
  mov eax, [dm_ref]
  mov [scratch + 8], eax
  mov dword [scratch + 12], ATOM_process
  mov eax, [exit_pid]
  mov [scratch + 16], eax
  mov eax, [exit_reason]
  mov [scratch + 20], eax
  mov eax, scratch + TAG_BOXED
  call xb_deliver
  jmp .monitors
.links:                             ; an exit signal to each linked process
  mov ebp, [exiting]
  mov ebx, [ebp + P_LINKS]
  cmp ebx, NIL
  je .free
  mov eax, [ebx - TAG_LIST + 4]
  mov [ebp + P_LINKS], eax
  mov eax, [ebx - TAG_LIST]
  call xb_process_lookup
  test eax, eax
  jz .links
  mov edx, [exit_pid]
  call remove_link
  mov edx, eax
  mov eax, [exit_reason]
  call exit_signal
  jmp .links
.free:
  mov ebp, [exiting]
  mov eax, [ebp + P_ID]
  shr eax, PID_SHIFT
  and eax, MAX_PROCESSES - 1
  mov dword [xb_procs + 4 * eax], 0
  mov eax, [ebp + P_MSO]
  call xb_refc_release_chain
  mov eax, [ebp + P_HEAP]
  mov ecx, [ebp + P_HEAP_WORDS]
  shl ecx, 2
  call xb_free
  mov eax, [ebp + P_STACK_BLOCK]
  mov ecx, [ebp + P_STACK_BYTES]
  call xb_free
  mov eax, ebp
  mov ecx, PROCESS_SIZE
  call xb_free
  jmp dispatch

;; exit_signal — in: edx = the receiving process, eax = the reason,
;; [exit_pid] = the sender.  clobbers eax ebx ecx edx edi.
exit_signal:
  cmp dword [edx + P_STATE], PS_EXITING
  je .done
  test dword [edx + P_FLAGS], PF_TRAP_EXIT
  jnz .trap
  cmp eax, ATOM_normal
  je .done
  ; It exits too, with the same reason, when it next gets to run.
  call copy_into
  mov edx, [edx - TAG_LIST]
  mov [eax + P_EXIT_REASON], edx
  or dword [eax + P_FLAGS], PF_EXIT_PENDING
  cmp dword [eax + P_STATE], PS_WAITING
  jne .done
  call cancel_timer_of
  jmp wake
.trap:                              ; {'EXIT', Pid, Reason}
  mov dword [scratch + 32], (3 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov dword [scratch + 36], ATOM_EXIT
  mov ecx, [exit_pid]
  mov [scratch + 40], ecx
  mov [scratch + 44], eax
  mov eax, scratch + 32 + TAG_BOXED
  jmp xb_deliver
.done:
  ret


;; remove_link — in: eax = a process, edx = a pid: takes the pid out of its
;; links.  clobbers ecx edi.
remove_link:
  lea edi, [eax + P_LINKS + TAG_LIST - 4]  ; a fake cell whose tail is P_LINKS
.find:
  mov ecx, [edi - TAG_LIST + 4]
  cmp ecx, NIL
  je .done
  cmp [ecx - TAG_LIST], edx
  je .unlink
  mov edi, ecx
  jmp .find
.unlink:
  mov ecx, [ecx - TAG_LIST + 4]
  mov [edi - TAG_LIST + 4], ecx
.done:
  ret

;; forget_monitor — in: eax = a process, edx = a reference.  Takes
;; {Ref, _} out of the process's MONITORING.  out: CF set when it was not
;; there.  clobbers ecx edi.  (Same walk as remove_link, on a field.)
forget_monitor:
  lea edi, [eax + P_MONITORING + TAG_LIST - 4]
  jmp forget_ref
;; unwatch — the same on P_MONITORS.
unwatch:
  lea edi, [eax + P_MONITORS + TAG_LIST - 4]
forget_ref:
  push ebx
.find:
  mov ecx, [edi - TAG_LIST + 4]
  cmp ecx, NIL
  je .absent
  mov ebx, [ecx - TAG_LIST]         ; {Ref, Pid}
  mov ebx, [ebx - TAG_BOXED + 4]
  call same_ref
  je .unlink
  mov edi, ecx
  jmp .find
.unlink:
  mov ebx, [ecx - TAG_LIST]
  mov ebx, [ebx - TAG_BOXED + 8]
  mov [dm_found], ebx               ; the other side's pid
  mov ecx, [ecx - TAG_LIST + 4]
  mov [edi - TAG_LIST + 4], ecx
  pop ebx
  clc
  ret
.absent:
  pop ebx
  stc
  ret

;; same_ref — in: ebx, edx = references.  out: ZF set when equal.
same_ref:
  push eax
  push ecx
  lea eax, [ebx - TAG_BOXED]
  lea ecx, [edx - TAG_BOXED]
  push edi
  mov edi, [eax + 4]
  cmp edi, [ecx + 4]
  jne .out
  mov edi, [eax + 8]
  cmp edi, [ecx + 8]
  jne .out
  mov edi, [eax + 12]
  cmp edi, [ecx + 12]
.out:
  pop edi
  pop ecx
  pop eax
  ret

section .bss
dm_found: resd 1
mon_alias: resd 1
section .text

; ---------------------------------------------------------------------------
; Stacks grow by copying: nothing points into a stack (y registers are
; addressed from esp, catch tags hold handler indices).

;; xb_stack_grow_keep — the same, preserving every register (STACK_CHECK).
xb_stack_grow_keep:
  pushad
  call xb_stack_grow
  popad
  ret

;; xb_stack_grow — `allocate` went below P_STACK_LIMIT.  Called (CALLA) at
;; an instruction boundary: no scratch register is live.
xb_stack_grow:
  xor eax, eax
;; xb_stack_grow_by — the same before a big frame: in: eax = its bytes.
xb_stack_grow_by:
  mov ebx, [ebp + P_STACK_BASE]
  sub ebx, esp                      ; bytes in use
  add ebx, eax
  add ebx, 2 * STACK_RED_ZONE
  mov eax, [ebp + P_STACK_BYTES]
.size:
  add eax, eax
  cmp eax, ebx
  jb .size
  cmp eax, MAX_STACK
  ja .overflow
  push eax                          ; a raw number; no collection from here on
  call xb_alloc
  mov edi, eax                      ; the new block
  pop edx                           ; its size
  ; Copy [esp, base) to the top of the new block.
  mov ecx, [ebp + P_STACK_BASE]
  sub ecx, esp
  lea ebx, [edi + edx]
  sub ebx, ecx                      ; the new esp
  push esi
  push edi
  mov esi, esp
  add esi, 8                        ; the old esp (above the two pushes)
  mov edi, ebx
  shr ecx, 2
  rep movsd
  pop edi
  pop esi
  ; Switch to it.
  mov ecx, [ebp + P_STACK_BLOCK]
  push ecx                          ; the old block (raw: no collection)
  push dword [ebp + P_STACK_BYTES]
  mov [ebp + P_STACK_BLOCK], edi
  mov [ebp + P_STACK_BYTES], edx
  lea ecx, [edi + STACK_RED_ZONE]
  mov [ebp + P_STACK_LIMIT], ecx
  lea ecx, [edi + edx]
  mov [ebp + P_STACK_BASE], ecx
  pop ecx                           ; old size
  pop eax                           ; old block
  mov esp, ebx
  jmp xb_free                       ; returns to our caller
.overflow:
  mov eax, msg_stack
  mov edx, msg_stack_len
  jmp xb_fatal

; ---------------------------------------------------------------------------
; BIFs.

;; make_ref/0
xb_erl_make_ref_0:
  mov eax, 4
  xor ecx, ecx
  ENSURE_HEAP
  call new_ref
  mov [xb_xregs], eax
  ret

;; erts_debug:flat_size(Term): the words of its copy (no sharing kept).
global xb_erl_flat_size_1
xb_erl_flat_size_1:
  mov eax, [xb_xregs]
  xor ecx, ecx
  call size_of
  mov eax, ecx
  TAG_SMALL_INT eax
  mov [xb_xregs], eax
  ret

;; xbeam:reds_left() -> the reductions left in this time slice;
;; xbeam:set_reds_left(N) -> true (erts_debug's reds_left internal state).
global xb_erl_reds_left_0, xb_erl_set_reds_left_1
xb_erl_reds_left_0:
  mov eax, [ebp + P_FCALLS]
  TAG_SMALL_INT eax
  mov [xb_xregs], eax
  ret
xb_erl_set_reds_left_1:
  mov eax, [xb_xregs]
  NOT_SMALL_JUMP eax, badarg
  sar eax, SMALL_SHIFT
  mov [ebp + P_FCALLS], eax
  mov dword [xb_xregs], ATOM_true
  ret

;; erlang:unique_integer/0 and xbeam:unique_integer/0 (the options of
;; unique_integer/1 are checked in runtime-erl/xbeam_bifs.erl): one counter
;; from 1 up, so every value is also positive and monotonic.
global xb_erl_unique_integer_0
xb_erl_unique_integer_0:
  add dword [unique_counter], 1
  adc dword [unique_counter + 4], 0
  mov eax, [unique_counter]
  mov edx, [unique_counter + 4]
  xor ecx, ecx
  CALLA xb_big_from_int64
  mov [xb_xregs], eax
  ret

;; new_ref — a reference at HTOP (4 words; room made).  out: eax.
xb_new_ref:
new_ref:
  add dword [ref_counter], 1
  adc dword [ref_counter + 4], 0
  mov dword [esi], (3 << HDR_ARITY_SHIFT) | HDR_REF
  mov eax, [ref_counter]
  and eax, 0x3ffff
  mov [esi + 4], eax
  mov eax, [ref_counter]
  shr eax, 18
  mov edx, [ref_counter + 4]
  shl edx, 14
  or eax, edx
  mov [esi + 8], eax
  mov dword [esi + 12], 0
  lea eax, [esi + TAG_BOXED]
  add esi, 16
  ret

;; monitor(process, Target)
;; monitor(process, Target, Options): the option {alias, Mode} makes the
;; reference an alias too (any mode: it stays active until demonitor or
;; the 'DOWN' message).  Other options are ignored.
xb_erl_monitor_3:
  mov dword [mon_alias], 0
  mov eax, [xb_xregs + 8]
.option:
  cmp eax, NIL
  je monitor_common
  mov edx, eax
  and edx, TAG_PRIMARY_MASK
  cmp edx, TAG_LIST
  jne badarg
  mov edx, [eax - TAG_LIST]
  mov ecx, edx
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_BOXED
  jne .next
  cmp dword [edx - TAG_BOXED], (2 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  jne .next
  cmp dword [edx - TAG_BOXED + 4], ATOM_alias
  jne .next
  mov dword [mon_alias], 1
.next:
  mov eax, [eax - TAG_LIST + 4]
  jmp .option

xb_erl_monitor_2:
  mov dword [mon_alias], 0
monitor_common:
  cmp dword [xb_xregs], ATOM_process
  jne badarg
  mov eax, [xb_xregs + 4]
  call xb_process_lookup
  jz badarg
  mov eax, 4 + 3 + 2 + 2
  mov ecx, 2
  ENSURE_HEAP
  call new_ref
  mov [xb_xregs + 8], eax           ; x2 = the reference
  cmp dword [mon_alias], 0
  je .not_alias
  call make_alias
.not_alias:
  mov eax, [xb_xregs + 4]
  call xb_process_lookup
  test eax, eax
  jz .noproc
  mov [dm_found], eax
  ; {Ref, Target} in our MONITORING.
  mov dword [esi], (2 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov ecx, [xb_xregs + 8]
  mov [esi + 4], ecx
  mov ecx, [eax + P_ID]
  mov [esi + 8], ecx
  lea ecx, [esi + TAG_BOXED]
  add esi, 12
  mov edx, [ebp + P_MONITORING]
  CONS ecx
  mov [ebp + P_MONITORING], edx
  ; {Ref, Self} in the target's MONITORS.
  mov edx, [dm_found]
  cmp edx, ebp
  je .self
  mov dword [scratch], (2 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov eax, [xb_xregs + 8]
  mov [scratch + 4], eax
  mov eax, [ebp + P_ID]
  mov [scratch + 8], eax
  mov eax, scratch + TAG_BOXED
  call copy_into
  mov ecx, [eax + P_MONITORS]
  mov [edx - TAG_LIST + 4], ecx
  mov [eax + P_MONITORS], edx
  jmp .done
.self:                              ; monitoring oneself: never fires, kept for demonitor
  jmp .done
.noproc:                            ; {'DOWN', Ref, process, Target, noproc} at once
  mov eax, 3 + 6 + 2
  mov ecx, 3
  ENSURE_HEAP
  mov eax, [xb_xregs + 4]           ; a name is reported as {Name, Node}
  mov edx, eax
  and edx, TAG_IMMED2_MASK
  cmp edx, TAG_ATOM
  jne .object
  mov dword [esi], (2 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov [esi + 4], eax
  mov dword [esi + 8], ATOM_nonode@nohost
  lea eax, [esi + TAG_BOXED]
  add esi, 12
.object:
  mov dword [esi], (5 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov dword [esi + 4], ATOM_DOWN
  mov edx, [xb_xregs + 8]
  mov [esi + 8], edx
  mov dword [esi + 12], ATOM_process
  mov [esi + 16], eax
  mov dword [esi + 20], ATOM_noproc
  lea eax, [esi + TAG_BOXED]
  add esi, 24
  call self_message
.done:
  mov eax, [xb_xregs + 8]
  mov [xb_xregs], eax
  ret

;; make_alias — in: eax = a reference just made on our heap, 2 words of
;; room above HTOP.  Marks it as an alias of the running process (its last
;; word: our pid's number + 1) and adds it to P_ALIASES.  clobbers ecx edx.
make_alias:
  mov ecx, [ebp + P_ID]
  shr ecx, PID_SHIFT
  inc ecx
  mov [eax - TAG_BOXED + 12], ecx
  mov edx, [ebp + P_ALIASES]
  CONS eax
  mov [ebp + P_ALIASES], edx
  ret

;; remove_alias — in: eax = a process, edx = a reference: out of its
;; P_ALIASES.  out: CF set when it was not there.  clobbers ecx edi.
remove_alias:
  push ebx
  lea edi, [eax + P_ALIASES + TAG_LIST - 4]
.find:
  mov ecx, [edi - TAG_LIST + 4]
  cmp ecx, NIL
  je .absent
  mov ebx, [ecx - TAG_LIST]
  call same_ref
  je .unlink
  mov edi, ecx
  jmp .find
.unlink:
  mov ecx, [ecx - TAG_LIST + 4]
  mov [edi - TAG_LIST + 4], ecx
  pop ebx
  clc
  ret
.absent:
  pop ebx
  stc
  ret

;; alias() and alias(Options): a new alias of the running process.
xb_erl_alias_0:
xb_erl_alias_1:
  mov eax, 4 + 2
  xor ecx, ecx
  ENSURE_HEAP
  call new_ref
  call make_alias
  mov [xb_xregs], eax
  ret

;; unalias(Alias) -> whether it was an active alias of ours.
xb_erl_unalias_1:
  mov edx, [xb_xregs]
  call check_ref
  mov eax, ebp
  call remove_alias
  mov eax, ATOM_true
  jnc .ret
  mov eax, ATOM_false
.ret:
  mov [xb_xregs], eax
  ret

;; check_ref — in: edx; raises badarg unless it is a reference.
check_ref:
  mov eax, edx
  and eax, TAG_PRIMARY_MASK
  cmp eax, TAG_BOXED
  jne .bad
  cmp dword [edx - TAG_BOXED], (3 << HDR_ARITY_SHIFT) | HDR_REF
  jne .bad
  ret
.bad:
  add esp, 4
  jmp badarg

;; demonitor(Ref), demonitor(Ref, Options)
xb_erl_demonitor_1:
  mov dword [xb_xregs + 4], NIL
xb_erl_demonitor_2:
  mov edx, [xb_xregs]
  mov eax, edx
  and eax, TAG_PRIMARY_MASK
  cmp eax, TAG_BOXED
  jne badarg
  mov eax, [edx - TAG_BOXED]
  cmp eax, (3 << HDR_ARITY_SHIFT) | HDR_REF
  jne badarg
  mov eax, ebp
  call remove_alias
  mov edx, [xb_xregs]
  mov eax, ebp
  call forget_monitor
  jc .flush
  mov eax, [dm_found]               ; the target: forget us there too
  call xb_process_lookup
  test eax, eax
  jz .flush
  mov edx, [xb_xregs]
  call unwatch
.flush:                             ; [flush]: drop a 'DOWN' for it already queued
  mov eax, [xb_xregs + 4]
.option:
  cmp eax, NIL
  je .done
  mov edx, eax
  and edx, TAG_PRIMARY_MASK
  cmp edx, TAG_LIST
  jne badarg
  cmp dword [eax - TAG_LIST], ATOM_flush
  je .do_flush
  mov eax, [eax - TAG_LIST + 4]
  jmp .option
.do_flush:
  lea edi, [ebp + P_MSG_FIRST + TAG_LIST - 4]
  mov edx, NIL                      ; the cell before, as a term ([] for none)
  mov ebx, [ebp + P_MARK_REF]       ; the marker bound to this reference: its
  cmp ebx, NIL                      ; 'DOWN' came after the marker's cell
  je .msg
  push edx
  mov edx, [xb_xregs]
  call same_ref
  pop edx
  jne .msg
  mov eax, [ebp + P_MARK_POS]
  cmp eax, NIL
  je .msg
  mov edi, eax
  mov edx, eax
.msg:
  mov ecx, [edi - TAG_LIST + 4]
  cmp ecx, NIL
  je .done
  mov eax, [ecx - TAG_LIST]
  mov ebx, eax
  and ebx, TAG_PRIMARY_MASK
  cmp ebx, TAG_BOXED
  jne .keep
  cmp dword [eax - TAG_BOXED], (5 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  jne .keep
  cmp dword [eax - TAG_BOXED + 4], ATOM_DOWN
  jne .keep
  mov ebx, [eax - TAG_BOXED + 8]
  mov eax, ebx
  and eax, TAG_PRIMARY_MASK
  cmp eax, TAG_BOXED
  jne .keep
  cmp dword [ebx - TAG_BOXED], (3 << HDR_ARITY_SHIFT) | HDR_REF
  jne .keep
  push edx
  mov edx, [xb_xregs]
  call same_ref
  pop edx
  jne .keep
  mov eax, [ecx - TAG_LIST + 4]     ; unlink it
  mov [edi - TAG_LIST + 4], eax
  cmp [ebp + P_MSG_LAST], ecx
  jne .not_last
  mov [ebp + P_MSG_LAST], edx
.not_last:
  cmp [ebp + P_MARK_POS], ecx
  jne .unlinked
  mov [ebp + P_MARK_POS], edx
.unlinked:
  mov dword [ebp + P_MSG_SAVE], NIL
  jmp .msg
.keep:
  mov edi, ecx
  mov edx, ecx
  jmp .msg
.done:
  mov dword [xb_xregs], ATOM_true
  ret

;; link(Pid)
xb_erl_link_1:
  mov eax, [xb_xregs]
  mov [xb_xregs + 4], eax
  CALLA link_to
  mov dword [xb_xregs], ATOM_true
  ret

;; link_to — in: x1 = a pid (x0 is kept).  Links the running process and
;; it.  Called by CALLA: it may collect (x0 and x1 live).
link_to:
  mov eax, [xb_xregs + 4]
  mov edx, eax
  and edx, TAG_IMMED1_MASK
  cmp edx, TAG_PID
  jne badarg
  call xb_process_lookup
  test eax, eax
  jz .noproc
  cmp eax, ebp
  je .done
  mov ecx, [ebp + P_LINKS]          ; already linked?
  mov edx, [xb_xregs + 4]
.find:
  cmp ecx, NIL
  je .add
  cmp [ecx - TAG_LIST], edx
  je .done
  mov ecx, [ecx - TAG_LIST + 4]
  jmp .find
.add:
  mov eax, 2
  mov ecx, 2
  ENSURE_HEAP
  mov eax, [xb_xregs + 4]
  mov edx, [ebp + P_LINKS]
  CONS eax
  mov [ebp + P_LINKS], edx
  mov eax, [xb_xregs + 4]
  call xb_process_lookup
  mov edx, eax
  mov eax, [ebp + P_ID]
  call copy_into                    ; our pid, in a cell of its heap
  mov ecx, [eax + P_LINKS]
  mov [edx - TAG_LIST + 4], ecx
  mov [eax + P_LINKS], edx
.done:
  ret
.noproc:                            ; trapping exits: {'EXIT', Pid, noproc}; else error noproc
  test dword [ebp + P_FLAGS], PF_TRAP_EXIT
  jz .raise_noproc
  mov eax, 4 + 2
  mov ecx, 2
  ENSURE_HEAP
  mov eax, [xb_xregs + 4]
  mov edx, ATOM_noproc
  jmp exit_to_self
.raise_noproc:
  mov eax, ATOM_noproc
  jmp xb_raise_atom

;; unlink(Pid)
xb_erl_unlink_1:
  mov eax, [xb_xregs]
  mov edx, eax
  and edx, TAG_IMMED1_MASK
  cmp edx, TAG_PID
  jne badarg
  mov edx, eax
  mov eax, ebp
  call remove_link
  mov eax, [xb_xregs]
  call xb_process_lookup
  test eax, eax
  jz .done
  mov edx, [ebp + P_ID]
  call remove_link
.done:
  mov dword [xb_xregs], ATOM_true
  ret

;; exit(Pid, Reason)
xb_erl_exit_2:
  mov eax, [xb_xregs]
  mov edx, eax
  and edx, TAG_IMMED1_MASK
  cmp edx, TAG_PID
  jne badarg
  call xb_process_lookup
  test eax, eax
  jz .done
  mov edx, [ebp + P_ID]
  mov [exit_pid], edx
  mov ecx, [xb_xregs + 4]
  cmp ecx, ATOM_kill
  je .kill
  cmp eax, ebp
  je .self
  mov edx, eax
  mov eax, ecx
  call exit_signal
.done:
  mov dword [xb_xregs], ATOM_true
  ret
.self:                              ; a signal to oneself
  test dword [ebp + P_FLAGS], PF_TRAP_EXIT
  jnz .self_trap
  cmp ecx, ATOM_normal
  je .done
  mov eax, ecx
  jmp exit_from_signal
.self_trap:
  mov eax, 4 + 2
  mov ecx, 2
  ENSURE_HEAP
  mov eax, [ebp + P_ID]
  mov edx, [xb_xregs + 4]
  call exit_to_self
  jmp .done
.kill:                              ; untrappable; the process exits with killed
  cmp eax, ebp
  je .kill_self
  or dword [eax + P_FLAGS], PF_EXIT_PENDING
  mov dword [eax + P_EXIT_REASON], ATOM_killed
  cmp dword [eax + P_STATE], PS_WAITING
  jne .done
  call cancel_timer_of
  call wake
  jmp .done
.kill_self:
  mov eax, ATOM_killed
exit_from_signal:                   ; the running process dies of a signal: exit class
  mov dword [ebp + P_FREASON], ATOM_exit
  mov [ebp + P_FVALUE], eax
  jmp xb_process_exit

;; process_flag(trap_exit, Bool) -> Old
xb_erl_process_flag_2:
  cmp dword [xb_xregs], ATOM_trap_exit
  jne badarg
  mov eax, [ebp + P_FLAGS]
  mov edx, [xb_xregs + 4]
  cmp edx, ATOM_true
  je .on
  cmp edx, ATOM_false
  jne badarg
  and dword [ebp + P_FLAGS], ~PF_TRAP_EXIT
  jmp .old
.on:
  or dword [ebp + P_FLAGS], PF_TRAP_EXIT
.old:
  test eax, PF_TRAP_EXIT
  mov eax, ATOM_false
  jz .ret
  mov eax, ATOM_true
.ret:
  mov [xb_xregs], eax
  ret

;; group_leader() and group_leader(Leader, Pid)
xb_erl_group_leader_0:
  mov eax, [ebp + P_GROUP_LEADER]
  mov [xb_xregs], eax
  ret
xb_erl_group_leader_2:
  mov eax, [xb_xregs]
  and eax, TAG_IMMED1_MASK
  cmp eax, TAG_PID
  jne badarg
  mov eax, [xb_xregs + 4]
  mov edx, eax
  and edx, TAG_IMMED1_MASK
  cmp edx, TAG_PID
  jne badarg
  call xb_process_lookup
  test eax, eax
  jz badarg
  mov edx, [xb_xregs]
  mov [eax + P_GROUP_LEADER], edx
  mov dword [xb_xregs], ATOM_true
  ret

;; register(Name, Pid), unregister(Name), whereis(Name)
xb_erl_register_2:
  mov eax, [xb_xregs]
  mov edx, eax
  and edx, TAG_IMMED2_MASK
  cmp edx, TAG_ATOM
  jne badarg
  cmp eax, ATOM_undefined
  je badarg
  shr eax, ATOM_SHIFT
  cmp dword [registry + 4 * eax], 0
  jne badarg
  mov ebx, eax
  mov eax, [xb_xregs + 4]
  mov edx, eax
  and edx, TAG_IMMED1_MASK
  cmp edx, TAG_PID
  jne badarg
  call xb_process_lookup
  test eax, eax
  jz badarg
  cmp dword [eax + P_REG_NAME], NIL
  jne badarg
  mov [registry + 4 * ebx], eax
  mov edx, [xb_xregs]
  mov [eax + P_REG_NAME], edx
  mov dword [xb_xregs], ATOM_true
  ret
xb_erl_unregister_1:
  mov eax, [xb_xregs]
  mov edx, eax
  and edx, TAG_IMMED2_MASK
  cmp edx, TAG_ATOM
  jne badarg
  shr eax, ATOM_SHIFT
  mov edx, [registry + 4 * eax]
  test edx, edx
  jz badarg
  mov dword [registry + 4 * eax], 0
  mov dword [edx + P_REG_NAME], NIL
  mov dword [xb_xregs], ATOM_true
  ret
xb_erl_whereis_1:
  mov eax, [xb_xregs]
  mov edx, eax
  and edx, TAG_IMMED2_MASK
  cmp edx, TAG_ATOM
  jne badarg
  shr eax, ATOM_SHIFT
  mov eax, [registry + 4 * eax]
  test eax, eax
  jz .none
  mov eax, [eax + P_ID]
  mov [xb_xregs], eax
  ret
.none:
  mov dword [xb_xregs], ATOM_undefined
  ret

;; is_process_alive(Pid)
xb_erl_is_process_alive_1:
  mov eax, [xb_xregs]
  mov edx, eax
  and edx, TAG_IMMED1_MASK
  cmp edx, TAG_PID
  jne badarg
  call xb_process_lookup
  test eax, eax
  jz .no
  cmp dword [eax + P_STATE], PS_EXITING
  je .no
  test dword [eax + P_FLAGS], PF_EXIT_PENDING
  jnz .no
  mov dword [xb_xregs], ATOM_true
  ret
.no:
  mov dword [xb_xregs], ATOM_false
  ret

;; self() as a function (apply, fun erlang:self/0)
xb_erl_self_0:
  mov eax, [ebp + P_ID]
  mov [xb_xregs], eax
  ret

; ---------------------------------------------------------------------------
; The process dictionary: a list of {Key, Value} in P_DICT.

;; dict_find — in: eax = a key.  out: ecx = the {Key, Value} tuple, or 0;
;; edi = the cell before its cell (a fake one for the first).
;; clobbers eax ebx ecx edx edi.
dict_find:
  mov [dict_key], eax
  lea edi, [ebp + P_DICT + TAG_LIST - 4]
.next:
  mov ecx, [edi - TAG_LIST + 4]
  cmp ecx, NIL
  je .absent
  mov eax, [ecx - TAG_LIST]
  mov eax, [eax - TAG_BOXED + 4]
  mov edx, [dict_key]
  push edi
  push ecx
  call xb_eq_exact
  pop ecx
  pop edi
  je .found
  mov edi, ecx
  jmp .next
.found:
  mov ecx, [ecx - TAG_LIST]
  ret
.absent:
  xor ecx, ecx
  ret

;; get/1, a guard-style BIF (the bif1 instruction; the loader wraps it for
;; calls): in: eax = the key;
;; out: eax = the value or undefined.
xb_bif_get_1:
  call dict_find
  mov eax, ATOM_undefined
  test ecx, ecx
  jz .ret
  mov eax, [ecx - TAG_BOXED + 8]
.ret:
  ret

;; get()
xb_erl_get_0:
  mov eax, [ebp + P_DICT]
  mov [xb_xregs], eax
  ret

;; erase(Key)
xb_erl_erase_1:
  mov eax, [xb_xregs]
  call dict_find
  mov eax, ATOM_undefined
  test ecx, ecx
  jz .ret
  mov eax, [ecx - TAG_BOXED + 8]
  mov edx, [edi - TAG_LIST + 4]     ; unlink the cell
  mov edx, [edx - TAG_LIST + 4]
  mov [edi - TAG_LIST + 4], edx
.ret:
  mov [xb_xregs], eax
  ret

;; put(Key, Value) -> the old value or undefined
xb_erl_put_2:
  mov eax, 3 + 2
  mov ecx, 2
  ENSURE_HEAP
  mov eax, [xb_xregs]
  call dict_find
  mov eax, ATOM_undefined
  test ecx, ecx
  jz .new
  mov eax, [ecx - TAG_BOXED + 8]
  mov edx, [edi - TAG_LIST + 4]     ; unlink the old entry
  mov edx, [edx - TAG_LIST + 4]
  mov [edi - TAG_LIST + 4], edx
.new:
  push eax
  mov dword [esi], (2 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov eax, [xb_xregs]
  mov [esi + 4], eax
  mov eax, [xb_xregs + 4]
  mov [esi + 8], eax
  lea eax, [esi + TAG_BOXED]
  add esi, 12
  mov edx, [ebp + P_DICT]
  CONS eax
  mov [ebp + P_DICT], edx
  pop eax
  mov [xb_xregs], eax
  ret

section .bss
dict_key: resd 1
section .text

; ---------------------------------------------------------------------------
; process_info: xbeam:process_item(Pid, Item) -> {Item, Value} | undefined,
; for runtime-erl/xbeam_bifs.erl.

;; The items whose value is a term in the process struct, copied out.
%macro TERM_ITEM 2                  ; atom, field
  cmp eax, %1
  jne %%no
  mov dword [pi_field], %2
  jmp .term
%%no:
%endmacro

xb_process_item_2:
  mov eax, [xb_xregs]
  mov edx, eax
  and edx, TAG_IMMED1_MASK
  cmp edx, TAG_PID
  jne badarg
  call xb_process_lookup
  test eax, eax
  jz .undefined
  cmp dword [eax + P_STATE], PS_EXITING
  je .undefined
  mov ebx, eax                      ; the process
  mov eax, [xb_xregs + 4]
  TERM_ITEM ATOM_messages, P_MSG_FIRST
  TERM_ITEM ATOM_links, P_LINKS
  TERM_ITEM ATOM_dictionary, P_DICT
  ; The rest are immediates: ecx = the value.
  cmp eax, ATOM_registered_name
  jne .not_name
  mov ecx, [ebx + P_REG_NAME]
  jmp .pair
.not_name:
  cmp eax, ATOM_status
  jne .not_status
  mov ecx, ATOM_running
  cmp ebx, ebp
  je .pair
  mov ecx, ATOM_waiting
  cmp dword [ebx + P_STATE], PS_WAITING
  je .pair
  mov ecx, ATOM_runnable
  jmp .pair
.not_status:
  cmp eax, ATOM_message_queue_len
  jne .not_len
  xor ecx, ecx
  mov edx, [ebx + P_MSG_FIRST]
.count:
  cmp edx, NIL
  je .counted
  inc ecx
  mov edx, [edx - TAG_LIST + 4]
  jmp .count
.counted:
  TAG_SMALL_INT ecx
  jmp .pair
.not_len:
  cmp eax, ATOM_trap_exit
  jne .not_trap
  mov ecx, ATOM_false
  test dword [ebx + P_FLAGS], PF_TRAP_EXIT
  jz .pair
  mov ecx, ATOM_true
  jmp .pair
.not_trap:
  cmp eax, ATOM_group_leader
  jne .not_gl
  mov ecx, [ebx + P_GROUP_LEADER]
  jmp .pair
.not_gl:
  cmp eax, ATOM_heap_size
  je .heap
  cmp eax, ATOM_total_heap_size
  jne .not_heap
.heap:
  mov ecx, [ebx + P_HEAP_WORDS]
  jmp .count_pair
.not_heap:
  cmp eax, ATOM_stack_size
  jne .not_stack
  mov ecx, [ebx + P_STACK_BASE]
  mov edx, [ebx + P_ESP]
  cmp ebx, ebp
  jne .stack_top
  mov edx, esp
.stack_top:
  sub ecx, edx
  shr ecx, 2
  TAG_SMALL_INT ecx
  jmp .pair
.not_stack:
  cmp eax, ATOM_memory
  jne .not_memory
  mov ecx, [ebx + P_HEAP_WORDS]
  shl ecx, 2
  add ecx, [ebx + P_STACK_BYTES]
  add ecx, PROCESS_SIZE
  jmp .count_pair
.not_memory:
  cmp eax, ATOM_reductions
  jne .not_reductions
  mov ecx, [ebx + P_REDUCTIONS]
  cmp ebx, ebp                      ; the running process: and this slice's
  jne .reds
  add ecx, REDUCTIONS
  sub ecx, [ebp + P_FCALLS]
.reds:
  TAG_SMALL_INT ecx
  jmp .pair
.not_reductions:
  mov ecx, ATOM_undefined           ; not recorded by xbeam yet
  cmp eax, ATOM_current_function
  je .pair
  cmp eax, ATOM_initial_call
  je .pair
  jmp badarg
.count_pair:                        ; {Item, the unsigned number in ecx}
  cmp ecx, MAX_SMALL                ; (a heap of 2^27 words, memory of 128 MB
  ja .big_count                     ; and more: a bignum)
  TAG_SMALL_INT ecx
  jmp .pair
.big_count:
  mov eax, ecx
  xor edx, edx
  mov ecx, 2
  CALLA xb_big_from_int64
  mov ecx, eax
.pair:                              ; {Item, ecx}
  push ecx
  mov eax, 3
  mov ecx, 2
  CALLA pi_heap
  pop ecx
  mov dword [esi], (2 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov eax, [xb_xregs + 4]
  mov [esi + 4], eax
  mov [esi + 8], ecx
  lea eax, [esi + TAG_BOXED]
  add esi, 12
  mov [xb_xregs], eax
  ret
.term:                              ; {Item, a copy of the field}
  mov eax, [pi_field]
  mov eax, [ebx + eax]
  xor ecx, ecx
  cmp ebx, ebp
  je .sized                         ; our own: no copy
  call size_of
.sized:
  lea eax, [ecx + 3]
  mov ecx, 2
  CALLA pi_heap                     ; (may move our own heap: read the field after)
  call xb_process_lookup_x0
  mov edx, [pi_field]
  cmp eax, ebp
  mov eax, [eax + edx]
  je .copied
  mov edi, esi
  mov [copy_dest], ebp
  call copy_out
  mov esi, edi
.copied:
  mov ecx, eax
  mov dword [esi], (2 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov eax, [xb_xregs + 4]
  mov [esi + 4], eax
  mov [esi + 8], ecx
  lea eax, [esi + TAG_BOXED]
  add esi, 12
  mov [xb_xregs], eax
  ret
.undefined:
  mov dword [xb_xregs], ATOM_undefined
  ret

;; pi_heap — ENSURE_HEAP as a call: in: eax = words, ecx = live.
pi_heap:
  ENSURE_HEAP
  ret

;; xb_process_lookup_x0 — the struct of the pid in x0.  out: eax.  clobbers edx.
xb_process_lookup_x0:
  mov eax, [xb_xregs]
  jmp xb_process_lookup

;; xbeam:memory_item(total | processes | processes_used): bytes.  total
;; is what the allocator has carved from the platform's region (free lists
;; included); processes is the blocks every live process holds: its
;; struct, heap and stack, rounded up to the allocator's 2^k sizes.
xb_memory_item_1:
  mov eax, [xb_xregs]
  cmp eax, ATOM_total
  je .total
  cmp eax, ATOM_processes
  je .processes
  cmp eax, ATOM_processes_used
  jne badarg
.processes:
  xor eax, eax                      ; edx:eax = the sum
  xor edx, edx
  xor ebx, ebx
.next:
  cmp ebx, MAX_PROCESSES
  jae .term
  mov edi, [xb_procs + 4 * ebx]
  inc ebx
  test edi, edi
  jz .next
  mov ecx, PROCESS_SIZE
  call block_bytes
  mov ecx, [edi + P_HEAP_WORDS]
  shl ecx, 2
  call block_bytes
  mov ecx, [edi + P_STACK_BYTES]
  call block_bytes
  jmp .next
.total:
  mov eax, [xb_next]
  sub eax, [plat_mem_start]
  xor edx, edx
.term:
  xor ecx, ecx
  CALLA xb_big_from_int64
  mov [xb_xregs], eax
  ret

;; xbeam:gc_stats() -> {Collections, WordsReclaimed, 0}, for
;; statistics(garbage_collection).
xb_gc_stats_0:
  mov eax, 4
  xor ecx, ecx
  ENSURE_HEAP
  mov eax, [xb_gc_stats + 4]
  mov edx, [xb_gc_stats + 8]
  xor ecx, ecx
  CALLA xb_big_from_int64           ; (may collect: the tuple is made after)
  push eax
  mov eax, 4
  xor ecx, ecx
  CALLA pi_heap
  pop edx
  mov dword [esi], (3 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov eax, [xb_gc_stats]
  TAG_SMALL_INT eax
  mov [esi + 4], eax
  mov [esi + 8], edx
  mov dword [esi + 12], (0 << SMALL_SHIFT) | TAG_SMALL
  lea eax, [esi + TAG_BOXED]
  add esi, 16
  mov [xb_xregs], eax
  ret

;; block_bytes — in: ecx = bytes asked for; adds what xb_alloc gives for
;; them (2^k, k >= 4) to edx:eax.  clobbers ecx.
block_bytes:
  push ebx
  lea ebx, [ecx - 1]
  or ebx, 15
  bsr ecx, ebx
  inc ecx
  mov ebx, 1
  shl ebx, cl
  add eax, ebx
  adc edx, 0
  pop ebx
  ret

;; xb_heap_limit — the running process's collector needs a heap of eax
;; words, beyond its max_heap_size or beyond the memory left: the process
;; dies (reason killed, as in BEAM), with a report on stderr; the VM and
;; the other processes go on.  Does not return.
xb_heap_limit:
  push eax
  call xb_print_to_stderr
  mov eax, t_process_killed + 4
  mov ecx, [t_process_killed]
  call xb_print_bytes
  mov eax, [ebp + P_ID]
  call xb_print_term
  mov eax, t_heap_of + 4
  mov ecx, [t_heap_of]
  call xb_print_bytes
  pop eax
  mov ecx, t_words
  cmp eax, 1 << 26
  jb .count                         ; a small integer: as it is
  shr eax, 10                       ; else in units of 1,024 words
  mov ecx, t_kwords
.count:
  push ecx
  TAG_SMALL_INT eax
  call xb_print_term
  pop ecx
  lea eax, [ecx + 4]
  mov ecx, [ecx]
  call xb_print_bytes
  call xb_print_flush
  mov dword [ebp + P_FREASON], ATOM_exit
  mov dword [ebp + P_FVALUE], ATOM_killed
  mov eax, ATOM_killed
  jmp xb_process_exit

;; xbeam:reserve_heap(Pid, Words) -> ok: room for that many more words
;; in another process's heap (spawn_opt's min_heap_size, before the new
;; process runs).
xb_reserve_heap_2:
  mov eax, [xb_xregs + 4]
  sar eax, SMALL_SHIFT
  jz .done
  push eax
  mov eax, [xb_xregs]
  call xb_process_lookup
  mov edx, eax
  pop eax
  test edx, edx
  jz .done
  cmp edx, ebp
  je .done
  mov ecx, [edx + P_HEND]
  sub ecx, [edx + P_HTOP]
  shr ecx, 2
  cmp ecx, eax
  jae .done
  call xb_gc_other
.done:
  mov dword [xb_xregs], ATOM_ok
  ret

;; xbeam:set_max_heap(Pid, Words) -> the old limit (0: none)
xb_set_max_heap_2:
  mov eax, [xb_xregs + 4]
  mov edx, eax
  and edx, TAG_IMMED1_MASK
  cmp edx, TAG_SMALL
  jne badarg
  sar eax, SMALL_SHIFT
  js badarg
  mov ebx, eax
  mov eax, [xb_xregs]
  call xb_process_lookup
  test eax, eax
  jz badarg
  mov ecx, [eax + P_MAX_HEAP]
  mov [eax + P_MAX_HEAP], ebx
  TAG_SMALL_INT ecx
  mov [xb_xregs], ecx
  ret

;; erlang:processes/0: the pids of every live process, in slot order
;; (oldest first until the pid numbers wrap around the table).
xb_erl_processes_0:
  xor ecx, ecx                      ; how many
  xor edx, edx
.count:
  cmp edx, MAX_PROCESSES
  jae .counted
  cmp dword [xb_procs + 4 * edx], 0
  je .count_next
  inc ecx
.count_next:
  inc edx
  jmp .count
.counted:
  lea eax, [2 * ecx]
  xor ecx, ecx
  CALLA pi_heap
  mov edx, NIL                      ; the list, built from the last slot
  mov ecx, MAX_PROCESSES
.build:
  dec ecx
  js .built
  mov eax, [xb_procs + 4 * ecx]
  test eax, eax
  jz .build
  cmp dword [eax + P_STATE], PS_EXITING
  je .build
  mov eax, [eax + P_ID]
  CONS eax
  jmp .build
.built:
  mov [xb_xregs], edx
  ret

section .bss
pi_field: resd 1
section .text

; ---------------------------------------------------------------------------
; Constant BIFs.

;; net_kernel:dflag_unicode_io/1: a local io server speaks unicode.
xb_true_1:
  mov dword [xb_xregs], ATOM_true
  ret
;; erl_features:keywords/0: no optional features are enabled.
xb_nil_0:
  mov dword [xb_xregs], NIL
  ret
;; io:printable_range/0: what erl says without +pc.
xb_latin1_0:
  mov dword [xb_xregs], ATOM_latin1
  ret

section .rodata
align 4
t_main_exit: dd 45
  db "xbeam: the first process exited on a signal: "
t_newline: dd 1
  db 10
align 4
t_process_killed: dd 14
  db "xbeam: killed "
align 4
t_heap_of: dd 38
  db ": its heap would outgrow its limit at "
align 4
t_words: dd 7
  db " words", 10                   ; (7 bytes with the newline)
align 4
t_kwords: dd 8
  db "K words", 10
msg_stack: db "xbeam: stack overflow", 10
msg_stack_len equ $ - msg_stack
