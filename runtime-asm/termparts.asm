; runtime-asm/termparts.asm — pids, ports, references and funs taken apart
; and put together, for the BIFs written in Erlang.
;
; In:  terms in x registers (the function convention); xb_fun_info and
;      xb_fun_count (image.asm, the loader's).
; Out: four primitives, each result in x0, badarg for a term of another kind:
;   xbeam:ident_data(T) -> binary
;       a pid's or a port's data (the term shifted right by 4) as 4 bytes;
;       a reference's three number words as 12 bytes; little-endian.
;   xbeam:ident_make(Kind, Bin) -> term
;       the pid (Kind 0), port (1) or reference (2) whose data Bin holds
;       (4, 4 and 12 bytes, as ident_data gives them).  The caller checks
;       the ranges (runtime-erl/xbeam_ident.erl).
;   xbeam:fun_parts(F) -> {ImageIndex, Arity, Env} for a local fun,
;       {Module, Function, Arity} for an export fun.
;   xbeam:fun_entry(ImageIndex) -> {Module, Name, Bin}: the loader's entry
;       for a lambda, Bin = <<OldIndex:32, OldUniq:32, NewIndex:32,
;       Md5:16/binary>> (the integers little-endian).
;   xbeam:fun_count() -> the number of lambdas in the image.
;   xbeam:make_local_fun(ImageIndex, Arity, Creator, Env) -> the local fun
;       (badarg when the image has no code for that lambda).
; A local fun is {header(FUN, 3 + free), small(index in xb_fun_table),
; small(arity), creator pid, free variables...}.
; Users: runtime-erl/xbeam_hash.erl (phash, phash2) and
; runtime-erl/xbeam_ident.erl (fun_info, list_to_pid/ref/port).
%include "macros.inc"

global xb_erts_debug_same_2, xb_ident_data_1, xb_ident_make_2, xb_fun_parts_1, xb_fun_entry_1, xb_fun_count_0, xb_make_local_fun_4
extern xb_xregs, xb_gc, xb_raise_atom, xb_fun_info, xb_fun_count, xb_fun_table

; One xb_fun_info entry (the loader's funInfo): module atom, old index,
; old uniq, new index, name atom, address of the module's 16-byte md5.
FUN_INFO_BYTES equ 24

section .text

;; ident_data(T)
xb_ident_data_1:
  mov eax, [xb_xregs]
  mov ecx, eax
  and ecx, TAG_IMMED1_MASK
  cmp ecx, TAG_PID
  je .immediate
  cmp ecx, TAG_PORT
  je .immediate
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_BOXED
  jne badarg
  cmp dword [eax - TAG_BOXED], (3 << HDR_ARITY_SHIFT) | HDR_REF
  je .ref
  cmp dword [eax - TAG_BOXED], EXTERNAL_REF_HEADER
  jne badarg                        ; (another node's: its three numbers too)
.ref:
  mov eax, 5                        ; header, size, 3 words
  mov ecx, 1
  ENSURE_HEAP
  mov edx, [xb_xregs]
  mov dword [esi], (4 << HDR_ARITY_SHIFT) | HDR_HEAP_BIN
  mov dword [esi + 4], 12
  mov eax, [edx - TAG_BOXED + 4]
  mov [esi + 8], eax
  mov eax, [edx - TAG_BOXED + 8]
  mov [esi + 12], eax
  mov eax, [edx - TAG_BOXED + 12]
  mov [esi + 16], eax
  lea eax, [esi + TAG_BOXED]
  add esi, 20
  mov [xb_xregs], eax
  ret
.immediate:
  mov eax, 3                        ; header, size, 1 word
  mov ecx, 1
  ENSURE_HEAP
  mov eax, [xb_xregs]
  shr eax, PID_SHIFT                ; a port's data is shifted as a pid's
  mov dword [esi], (2 << HDR_ARITY_SHIFT) | HDR_HEAP_BIN
  mov dword [esi + 4], 4
  mov [esi + 8], eax
  lea eax, [esi + TAG_BOXED]
  add esi, 12
  mov [xb_xregs], eax
  ret

;; ident_make(Kind, Bin)
xb_ident_make_2:
  mov eax, [xb_xregs + 4]
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_BOXED
  jne badarg
  mov ecx, [eax - TAG_BOXED]
  and ecx, HDR_SUBTAG_MASK
  cmp ecx, HDR_HEAP_BIN
  jne badarg
  mov edx, [xb_xregs]
  cmp edx, (2 << SMALL_SHIFT) | TAG_SMALL
  je .ref
  cmp dword [eax - TAG_BOXED + 4], 4
  jne badarg
  mov eax, [eax - TAG_BOXED + 8]
  cmp eax, 0x0fffffff               ; 28 bits of data
  ja badarg
  shl eax, PID_SHIFT
  cmp edx, (0 << SMALL_SHIFT) | TAG_SMALL
  je .pid
  cmp edx, (1 << SMALL_SHIFT) | TAG_SMALL
  jne badarg
  or eax, TAG_PORT
  mov [xb_xregs], eax
  ret
.pid:
  or eax, TAG_PID
  mov [xb_xregs], eax
  ret
.ref:
  cmp dword [eax - TAG_BOXED + 4], 12
  jne badarg
  mov eax, 4
  mov ecx, 2
  ENSURE_HEAP
  mov edx, [xb_xregs + 4]
  mov dword [esi], (3 << HDR_ARITY_SHIFT) | HDR_REF
  mov eax, [edx - TAG_BOXED + 8]
  mov [esi + 4], eax
  mov eax, [edx - TAG_BOXED + 12]
  mov [esi + 8], eax
  mov eax, [edx - TAG_BOXED + 16]
  mov [esi + 12], eax
  lea eax, [esi + TAG_BOXED]
  add esi, 16
  mov [xb_xregs], eax
  ret

;; fun_parts(F)
xb_fun_parts_1:
  mov eax, [xb_xregs]
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_BOXED
  jne badarg
  mov ecx, [eax - TAG_BOXED]
  and ecx, HDR_SUBTAG_MASK
  cmp ecx, HDR_EXPORT
  je .export
  cmp ecx, HDR_FUN
  jne badarg
  ; {fun header, small(index), small(arity), creator, free variables...}:
  ; a tuple of 3 and a cell per free variable.
  mov eax, [eax - TAG_BOXED]
  shr eax, HDR_ARITY_SHIFT
  sub eax, 3                        ; the number of free variables
  lea eax, [4 + 2 * eax]
  mov ecx, 1
  ENSURE_HEAP
  mov ebx, [xb_xregs]
  mov ecx, [ebx - TAG_BOXED]
  shr ecx, HDR_ARITY_SHIFT
  sub ecx, 3
  mov edx, NIL
.env:                               ; the list from its end
  dec ecx
  js .tuple
  mov eax, [ebx - TAG_BOXED + 16 + 4 * ecx]
  CONS eax
  jmp .env
.tuple:
  mov dword [esi], (3 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov eax, [ebx - TAG_BOXED + 4]
  mov [esi + 4], eax
  mov eax, [ebx - TAG_BOXED + 8]
  mov [esi + 8], eax
  mov [esi + 12], edx
  lea eax, [esi + TAG_BOXED]
  add esi, 16
  mov [xb_xregs], eax
  ret
.export:                            ; {EXPORT, M, small(A), F} -> {M, F, A}
  mov eax, 4
  mov ecx, 1
  ENSURE_HEAP
  mov ebx, [xb_xregs]
  mov dword [esi], (3 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov eax, [ebx - TAG_BOXED + 4]
  mov [esi + 4], eax
  mov eax, [ebx - TAG_BOXED + 12]
  mov [esi + 8], eax
  mov eax, [ebx - TAG_BOXED + 8]
  mov [esi + 12], eax
  lea eax, [esi + TAG_BOXED]
  add esi, 16
  mov [xb_xregs], eax
  ret

;; fun_entry(ImageIndex)
xb_fun_entry_1:
  mov eax, [xb_xregs]
  NOT_SMALL_JUMP eax, badarg
  UNTAG_SMALL eax
  cmp eax, [xb_fun_count]           ; unsigned: a negative index is out too
  jae badarg
  mov eax, 13                       ; a tuple of 3, a binary of 28 bytes
  mov ecx, 1
  ENSURE_HEAP
  mov ebx, [xb_xregs]
  UNTAG_SMALL ebx
  imul ebx, ebx, FUN_INFO_BYTES
  add ebx, xb_fun_info
  mov dword [esi], (8 << HDR_ARITY_SHIFT) | HDR_HEAP_BIN
  mov dword [esi + 4], 28
  mov eax, [ebx + 4]                ; old index
  mov [esi + 8], eax
  mov eax, [ebx + 8]                ; old uniq
  mov [esi + 12], eax
  mov eax, [ebx + 12]               ; new index
  mov [esi + 16], eax
  mov edx, [ebx + 20]               ; the md5
  mov eax, [edx]
  mov [esi + 20], eax
  mov eax, [edx + 4]
  mov [esi + 24], eax
  mov eax, [edx + 8]
  mov [esi + 28], eax
  mov eax, [edx + 12]
  mov [esi + 32], eax
  lea edx, [esi + TAG_BOXED]
  add esi, 36
  mov dword [esi], (3 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov eax, [ebx]                    ; module
  mov [esi + 4], eax
  mov eax, [ebx + 16]               ; name
  mov [esi + 8], eax
  mov [esi + 12], edx
  lea eax, [esi + TAG_BOXED]
  add esi, 16
  mov [xb_xregs], eax
  ret

;; erts_debug:same(A, B): the same term, word for word (the same object).
xb_erts_debug_same_2:
  mov eax, [xb_xregs]
  cmp eax, [xb_xregs + 4]
  mov dword [xb_xregs], ATOM_true
  je .same
  mov dword [xb_xregs], ATOM_false
.same:
  ret

;; fun_count()
xb_fun_count_0:
  mov eax, [xb_fun_count]
  TAG_SMALL_INT eax
  mov [xb_xregs], eax
  ret

;; make_local_fun(ImageIndex, Arity, Creator, Env).
xb_make_local_fun_4:
  mov eax, [xb_xregs]
  NOT_SMALL_JUMP eax, badarg
  UNTAG_SMALL eax
  cmp eax, [xb_fun_count]
  jae badarg
  cmp dword [xb_fun_table + 4 * eax], 0   ; no code for it in the image
  je badarg
  mov eax, [xb_xregs + 4]
  NOT_SMALL_JUMP eax, badarg
  UNTAG_SMALL eax
  cmp eax, 255
  ja badarg
  mov eax, [xb_xregs + 8]
  and eax, TAG_IMMED1_MASK
  cmp eax, TAG_PID
  jne badarg
  xor ecx, ecx                      ; the length of Env (a proper list)
  mov edx, [xb_xregs + 12]
.count:
  cmp edx, NIL
  je .counted
  mov ebx, edx
  and ebx, TAG_PRIMARY_MASK
  cmp ebx, TAG_LIST
  jne badarg
  inc ecx
  mov edx, [edx - TAG_LIST + 4]
  jmp .count
.counted:
  cmp ecx, 255
  ja badarg
  mov [mlf_n], ecx
  lea eax, [ecx + 4]
  mov ecx, 4
  ENSURE_HEAP
  mov ecx, [mlf_n]
  lea eax, [ecx + 3]
  shl eax, HDR_ARITY_SHIFT
  or eax, HDR_FUN
  mov [esi], eax
  mov eax, [xb_xregs]
  mov [esi + 4], eax
  mov eax, [xb_xregs + 4]
  mov [esi + 8], eax
  mov eax, [xb_xregs + 8]
  mov [esi + 12], eax
  mov edx, [xb_xregs + 12]
  lea edi, [esi + 16]
.env:
  cmp edx, NIL
  je .built
  mov eax, [edx - TAG_LIST]
  mov [edi], eax
  add edi, 4
  mov edx, [edx - TAG_LIST + 4]
  jmp .env
.built:
  lea eax, [esi + TAG_BOXED]
  mov esi, edi
  mov [xb_xregs], eax
  ret

badarg:
  mov eax, ATOM_badarg
  jmp xb_raise_atom

section .bss
mlf_n: resd 1
