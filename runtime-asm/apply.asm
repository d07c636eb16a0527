; runtime-asm/apply.asm — calling a function named at run time.
;
; The loader builds xb_export_table, an open-addressing hash table of every
; function that can be called from outside its module (exported functions
; of the image's modules, and the BIFs): 16-byte slots of
; {module atom, function atom, arity, code address}, an empty slot having
; module 0 (no term is 0).  The hash is computed at build time and here
; alike: ((M * 31 + F) * 31 + A) & mask, on the atom terms.
%include "macros.inc"

global xb_apply, xb_apply_list, xb_lookup_export
extern xb_xregs, xb_export_table, xb_export_mask, xb_undef, xb_badarg, xb_fun_entry

section .bss
apply_mfa: resd 3                   ; {M, F, A} of a failed lookup, for the report

section .text

;; xb_lookup_export — in: eax = module, edx = function (terms), ecx = arity.
;; out: edx = code address, or 0 when there is no such function.
;; Clobbers ebx edi.
xb_lookup_export:
  mov ebx, eax
  imul ebx, 31
  add ebx, edx
  imul ebx, 31
  add ebx, ecx
  and ebx, [xb_export_mask]
.probe:
  mov edi, ebx
  shl edi, 4
  add edi, xb_export_table
  cmp dword [edi], 0
  je .missing
  cmp [edi], eax
  jne .next
  cmp [edi + 4], edx
  jne .next
  cmp [edi + 8], ecx
  jne .next
  mov edx, [edi + 12]
  ret
.next:
  inc ebx
  and ebx, [xb_export_mask]
  jmp .probe
.missing:
  xor edx, edx
  ret

;; xb_apply — the apply instruction: x(Arity) = module, x(Arity + 1) =
;; function, the arguments in x0..x(Arity - 1).
;; in: ecx = Arity.  out: edx = the code to jump to or call.  Raises undef
;; (or badarg when the module or function is not an atom).
xb_apply:
  mov eax, [xb_xregs + 4 * ecx]
  mov edx, [xb_xregs + 4 * ecx + 4]
  ; falls through

;; in: eax = module, edx = function, ecx = arity.  out: edx = code.
resolve:
  mov ebx, eax
  and ebx, TAG_IMMED2_MASK
  cmp ebx, TAG_ATOM
  jne xb_badarg
  mov ebx, edx
  and ebx, TAG_IMMED2_MASK
  cmp ebx, TAG_ATOM
  jne xb_badarg
  mov [ebp + P_APPLY_M], eax        ; {M, F, A}: a stack trace names it when a
  mov [ebp + P_APPLY_F], edx        ; BIF called so fails (errors.asm)
  mov [ebp + P_APPLY_A], ecx
  push ecx
  push edx
  push eax
  call xb_lookup_export
  test edx, edx
  jz .undef
  add esp, 12
  ret
.undef:
  pop dword [apply_mfa]
  pop dword [apply_mfa + 4]
  pop dword [apply_mfa + 8]
  mov eax, apply_mfa
  jmp xb_undef

;; erlang:apply/3 and apply/2, called like functions: they spread the list
;; and jump to the function, which returns to our caller.
global xb_erl_apply_3, xb_erl_apply_2
xb_erl_apply_3:
  mov eax, [xb_xregs]
  mov edx, [xb_xregs + 4]
  mov ebx, [xb_xregs + 8]
  CALLA xb_apply_list
  jmp edx
xb_erl_apply_2:
  mov eax, [xb_xregs]
  mov edx, NON_VALUE
  mov ebx, [xb_xregs + 4]
  CALLA xb_apply_list
  jmp edx

;; xb_apply_list — erlang:apply/2,3 after the argument list is spread: after the argument list is spread:
;; in: eax = the module, or the fun when edx = NON_VALUE; edx = function;
;; ebx = the argument list.  The arguments go to x0..x(n-1).
;; out: edx = the code to call.  Raises badarg for an improper list.
xb_apply_list:
  xor ecx, ecx
.spread:
  cmp ebx, NIL
  je .spread_done
  mov edi, ebx
  and edi, TAG_PRIMARY_MASK
  cmp edi, TAG_LIST
  jne xb_badarg
  cmp ecx, MAX_XREGS - 16
  jae xb_badarg
  mov edi, [ebx - TAG_LIST]
  mov [xb_xregs + 4 * ecx], edi
  inc ecx
  mov ebx, [ebx - TAG_LIST + 4]
  jmp .spread
.spread_done:
  cmp edx, NON_VALUE
  je xb_fun_entry                   ; apply(Fun, Args)
  jmp resolve

;; erlang:module_loaded(Module): is it in the image?
global xb_erl_module_loaded_1
extern xb_module_table
xb_erl_module_loaded_1:
  mov eax, [xb_xregs]
  mov edx, eax
  and edx, TAG_IMMED2_MASK
  cmp edx, TAG_ATOM
  jne xb_badarg
  mov ecx, [xb_module_table]
.next:
  test ecx, ecx
  jz .no
  cmp [xb_module_table + 4 * ecx], eax
  je .yes
  dec ecx
  jmp .next
.yes:
  mov dword [xb_xregs], ATOM_true
  ret
.no:
  mov dword [xb_xregs], ATOM_false
  ret

;; erlang:function_exported(Module, Function, Arity): whether the image has it
;; (in its export table).  Like BEAM, false for the erlang module's BIFs.
global xb_erl_function_exported_3
xb_erl_function_exported_3:
  mov eax, [xb_xregs]
  mov edx, [xb_xregs + 4]
  mov ecx, [xb_xregs + 8]
  mov ebx, eax
  and ebx, TAG_IMMED2_MASK
  cmp ebx, TAG_ATOM
  jne xb_badarg
  mov ebx, edx
  and ebx, TAG_IMMED2_MASK
  cmp ebx, TAG_ATOM
  jne xb_badarg
  mov ebx, ecx
  and ebx, TAG_IMMED1_MASK
  cmp ebx, TAG_SMALL
  jne xb_badarg
  sar ecx, SMALL_SHIFT
  cmp eax, ATOM_erlang              ; BEAM: false for BIFs (erlang's functions)
  je .no
  call xb_lookup_export
  test edx, edx
  jz .no
  mov dword [xb_xregs], ATOM_true
  ret
.no:
  mov dword [xb_xregs], ATOM_false
  ret

;; erlang:make_fun(Module, Function, Arity): the fun M:F/A, whether or not
;; the image has that function (calling it then raises undef, as in BEAM).
global xb_erl_make_fun_3
extern xb_gc, xb_raise_atom
xb_erl_make_fun_3:
  mov eax, [xb_xregs]
  and eax, TAG_IMMED2_MASK
  cmp eax, TAG_ATOM
  jne .badarg
  mov eax, [xb_xregs + 4]
  and eax, TAG_IMMED2_MASK
  cmp eax, TAG_ATOM
  jne .badarg
  mov eax, [xb_xregs + 8]
  NOT_SMALL_JUMP eax, .badarg
  cmp eax, (255 << SMALL_SHIFT) | TAG_SMALL    ; 0..255 (a small's sign bit is the word's)
  ja .badarg
  mov eax, 4
  mov ecx, 3
  ENSURE_HEAP
  mov dword [esi], (3 << HDR_ARITY_SHIFT) | HDR_EXPORT
  mov eax, [xb_xregs]
  mov [esi + 4], eax
  mov eax, [xb_xregs + 8]
  mov [esi + 8], eax
  mov eax, [xb_xregs + 4]
  mov [esi + 12], eax
  lea eax, [esi + TAG_BOXED]
  add esi, 16
  mov [xb_xregs], eax
  ret
.badarg:
  mov eax, ATOM_badarg
  jmp xb_raise_atom

;; xbeam:module_exports(Module) -> [{Function, Arity}]: the functions of the
;; export table (what apply can reach) that belong to Module, in table order.
global xb_module_exports_1
xb_module_exports_1:
  mov eax, [xb_xregs]
  xor edx, edx                      ; count the entries first
  xor ecx, ecx
.count:
  cmp ecx, [xb_export_mask]
  ja .counted
  mov ebx, ecx
  shl ebx, 4
  cmp [xb_export_table + ebx], eax
  jne .count_next
  inc edx
.count_next:
  inc ecx
  jmp .count
.counted:
  lea eax, [edx + 4 * edx]          ; a 2-tuple (3 words) and a cell per entry
  mov ecx, 1
  ENSURE_HEAP
  mov edi, NIL
  xor ecx, ecx
.build:
  cmp ecx, [xb_export_mask]
  ja .built
  mov ebx, ecx
  shl ebx, 4
  mov eax, [xb_xregs]
  cmp [xb_export_table + ebx], eax
  jne .build_next
  mov dword [esi], (2 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov eax, [xb_export_table + ebx + 4]
  mov [esi + 4], eax
  mov eax, [xb_export_table + ebx + 8]
  TAG_SMALL_INT eax
  mov [esi + 8], eax
  lea eax, [esi + TAG_BOXED]
  mov [esi + 12], eax
  mov [esi + 16], edi
  lea edi, [esi + 12 + TAG_LIST]
  add esi, 20
.build_next:
  inc ecx
  jmp .build
.built:
  mov [xb_xregs], edi
  ret
