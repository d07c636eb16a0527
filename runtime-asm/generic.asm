; runtime-asm/generic.asm — the generic mode's one routine.
;
; In generic mode (`xbeam build --generic`, for comparison with the
; specialized code) each data instruction is emitted as
;     CALLA xb_generic
;     dd GOP_<op>, kind, value, kind, value, ...
; xb_generic pops the return address (so the stack is the caller's frame
; again, and y(n) is [esp + 4n]), reads the record, does the operation and
; jumps to the word after the record, or to a fail label.  Operand kinds:
; GOPK_X / GOPK_Y (value: register number), GOPK_CONST (value: a term, a
; label or a fragment address), GOPK_UNSIGNED.  Handlers keep the record
; pointer in ebx, or in g_ptr across calls, never on the stack, which must
; hold only terms and return addresses when the collector runs.
%include "macros.inc"

global xb_generic
extern xb_xregs, xb_gc, xb_compare, xb_eq_exact, xb_raise_pending, xb_bif_fail, xb_bif_args

section .bss
g_ptr:  resd 1                      ; the record, while a handler calls out
g_fail: resd 1                      ; a test's fail label
g_site: resd 1
g_mfa: resd 1                      ; the return address xb_generic was called with
g_a:    resd 1                      ; a saved operand value
g_count: resd 1                     ; items left to fetch
g_frag: resd 1                      ; the BIF fragment to call

section .text

;; FETCH reg — the operand at [ebx] into reg (not ecx); ebx moves past it.
%macro FETCH 1
  mov ecx, [ebx]
  mov %1, [ebx + 4]
  add ebx, 8
  cmp ecx, GOPK_X
  jne %%not_x
  mov %1, [xb_xregs + 4 * %1]
  jmp %%done
%%not_x:
  cmp ecx, GOPK_Y
  jne %%done
  mov %1, [esp + 4 * %1]
%%done:
%endmacro

;; STORE reg — reg into the register operand at [ebx] (not ecx, edi).
%macro STORE 1
  mov edi, [ebx + 4]
  cmp dword [ebx], GOPK_X
  jne %%y
  mov [xb_xregs + 4 * edi], %1
  jmp %%done
%%y:
  mov [esp + 4 * edi], %1
%%done:
  add ebx, 8
%endmacro

;; VALUE reg — the value word of the operand at [ebx] (a constant).
%macro VALUE 1
  mov %1, [ebx + 4]
  add ebx, 8
%endmacro

xb_generic:
  pop ebx
  mov [g_site], ebx                 ; the call site, for a raise's stack trace
  mov eax, [ebx]
  add ebx, 4
  jmp [handlers + 4 * eax]

; --- data movement ----------------------------------------------------------

g_move:
  FETCH eax
  STORE eax
  jmp ebx

g_get_list:
  FETCH eax
  mov edx, [eax - TAG_LIST]
  mov eax, [eax - TAG_LIST + 4]
  STORE edx
  STORE eax
  jmp ebx

g_get_hd:
  FETCH eax
  mov eax, [eax - TAG_LIST]
  STORE eax
  jmp ebx

g_get_tl:
  FETCH eax
  mov eax, [eax - TAG_LIST + 4]
  STORE eax
  jmp ebx

g_put_list:
  FETCH eax
  mov [esi], eax
  FETCH eax
  mov [esi + 4], eax
  lea eax, [esi + TAG_LIST]
  add esi, 8
  STORE eax
  jmp ebx

;; put_tuple2 Dst N Items... (Dst first, as in BEAM)
g_put_tuple2:
  mov edx, ebx                      ; the destination, stored last
  add ebx, 8
  VALUE ecx                         ; N
  mov eax, ecx
  shl eax, HDR_ARITY_SHIFT
  mov [esi], eax
  lea eax, [esi + TAG_BOXED]
  mov [g_a], eax
  add esi, 4
  mov [g_count], ecx                ; (FETCH uses ecx; nothing may go on the stack)
.item:
  cmp dword [g_count], 0
  je .done
  FETCH eax
  mov [esi], eax
  add esi, 4
  dec dword [g_count]
  jmp .item
.done:
  mov eax, [g_a]
  xchg ebx, edx
  STORE eax
  mov ebx, edx
  jmp ebx

g_get_tuple_element:
  FETCH eax
  VALUE edx
  mov eax, [eax - TAG_BOXED + 4 * edx + 4]
  STORE eax
  jmp ebx

;; test_heap Words Live
g_test_heap:
  VALUE eax
  VALUE ecx
  lea edx, [esi + 4 * eax]
  cmp edx, [ebp + P_HEND]
  jbe .room
  mov [g_ptr], ebx
  CALLA xb_gc
  mov ebx, [g_ptr]
.room:
  jmp ebx

;; bif Fail Live Fragment MFA Nargs Args... Dst — a guard-BIF fragment;
;; MFA (or 0) names it in the stack trace when it fails in a body.
g_bif:
  VALUE eax
  mov [g_fail], eax
  VALUE eax
  mov [g_a], eax                    ; live
  VALUE edi                         ; the fragment
  mov [g_frag], edi
  VALUE eax
  mov [g_mfa], eax
  VALUE ecx                         ; 1 or 2 arguments
  cmp ecx, 1
  je .one
  FETCH eax
  FETCH edx
  mov [xb_bif_args + 4], edx
  jmp .call
.one:
  FETCH eax
.call:
  mov [xb_bif_args], eax
  mov edi, [g_frag]
  mov [g_ptr], ebx
  mov ecx, [g_a]
  CALLR edi
  mov ebx, [g_ptr]
  test eax, eax
  jz .failed
  STORE eax
  jmp ebx
.failed:
  mov eax, [g_fail]
  test eax, eax
  jnz .to_label
  push dword [g_site]               ; raised from the call site, as a call would
  mov eax, [g_mfa]
  test eax, eax
  jnz xb_bif_fail
  jmp xb_raise_pending
.to_label:
  jmp eax

; --- tests: Fail, operands; jump to Fail when false ------------------------

%macro FAIL_LABEL 0
  VALUE eax
  mov [g_fail], eax
%endmacro

g_is_eq_exact:
  FAIL_LABEL
  FETCH eax
  FETCH edx
  mov [g_ptr], ebx
  CALLA xb_eq_exact
  mov ebx, [g_ptr]
  jne fail
  jmp ebx

g_is_ne_exact:
  FAIL_LABEL
  FETCH eax
  FETCH edx
  mov [g_ptr], ebx
  CALLA xb_eq_exact
  mov ebx, [g_ptr]
  je fail
  jmp ebx

%macro ORDERED 1                    ; the jcc that means false
  FAIL_LABEL
  FETCH eax
  FETCH edx
  mov [g_ptr], ebx
  CALLA xb_compare
  mov ebx, [g_ptr]
  test eax, eax
  %1 fail
  jmp ebx
%endmacro
g_is_lt: ORDERED jge
g_is_ge: ORDERED jl
g_is_eq: ORDERED jne
g_is_ne: ORDERED je

g_is_nil:
  FAIL_LABEL
  FETCH eax
  cmp eax, NIL
  jne fail
  jmp ebx

g_is_nonempty_list:
  FAIL_LABEL
  FETCH eax
  and eax, TAG_PRIMARY_MASK
  cmp eax, TAG_LIST
  jne fail
  jmp ebx

g_is_list:
  FAIL_LABEL
  FETCH eax
  cmp eax, NIL
  je .yes
  and eax, TAG_PRIMARY_MASK
  cmp eax, TAG_LIST
  jne fail
.yes:
  jmp ebx

g_is_atom:
  FAIL_LABEL
  FETCH eax
  and eax, TAG_IMMED2_MASK
  cmp eax, TAG_ATOM
  jne fail
  jmp ebx

g_is_integer:
  FAIL_LABEL
  FETCH eax
  NOT_INTEGER_JUMP eax, fail
  jmp ebx

g_is_tuple:
  FAIL_LABEL
  FETCH eax
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_BOXED
  jne fail
  mov ecx, [eax - TAG_BOXED]
  and ecx, HDR_SUBTAG_MASK
  jnz fail
  jmp ebx

g_test_arity:
  FAIL_LABEL
  FETCH eax
  VALUE edx
  shl edx, HDR_ARITY_SHIFT
  cmp [eax - TAG_BOXED], edx
  jne fail
  jmp ebx

fail:
  jmp [g_fail]

section .rodata
align 4
handlers: GENERIC_TABLE
