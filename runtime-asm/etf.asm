; runtime-asm/etf.asm — the raw words behind pids, references and funs, for
; the external term format (runtime-erl/xbeam_etf.erl).
;
; In:  terms in x registers (the function-call convention).
; Out: four small BIFs, each raising badarg on anything else:
;        xbeam:etf_word(T, I) -> 0..2^32-1
;            I = 0: the word of an immediate T (a pid: number << 4 | 3), or
;            the header of a boxed T; 1 =< I =< arity: word I after the
;            header, as an unsigned integer (a reference's number words).
;        xbeam:etf_term(F, I) -> word I (1 =< I =< arity) of a fun or an
;            export fun, which are all terms (docs/abi.md: an export is
;            {header(EXPORT, 3), Module, Arity, Function}).
;        xbeam:etf_make_pid(N) -> the pid N << 4 | 3 (0 =< N < 2^28).
;        xbeam:etf_make_ref(W0, W1, W2) -> {header(REF, 3), W0, W1, W2}
;            (each 0..2^32-1; W2 is the alias owner's pid number + 1 or 0:
;            sending to a reference checks the owner's P_ALIASES, so any
;            value is safe).
%include "macros.inc"

global xb_etf_word_2, xb_etf_term_2, xb_etf_make_pid_1, xb_etf_make_ref_3, xb_u32_arg
global xb_etf_make_ext_ref_5
extern xb_xregs, xb_gc, xb_raise_atom, xb_big_from_int64

section .text

badarg:
  mov eax, ATOM_badarg
  jmp xb_raise_atom

;; xb_u32_arg — in: eax = a term.  out: eax = its value when it is an integer
;; in 0..2^32-1, else jumps to badarg (called with CALLA, so the return
;; address left on the stack looks like a header to the unwinder).
;; clobbers ecx.
xb_u32_arg:
  NOT_SMALL_JUMP eax, .big
  test eax, eax
  js badarg
  UNTAG_SMALL eax
  ret
.big:
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_BOXED
  jne badarg
  cmp dword [eax - TAG_BOXED], (1 << HDR_ARITY_SHIFT) | HDR_POS_BIG
  jne badarg
  mov eax, [eax - TAG_BOXED + 4]
  ret

;; boxed_index — x0 boxed, x1 = small I with 0 =< I =< arity.  out: ebx =
;; the object (untagged), eax = I.  Jumps to badarg otherwise.
boxed_index:
  mov ebx, [xb_xregs]
  mov ecx, ebx
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_BOXED
  jne badarg
  sub ebx, TAG_BOXED
  mov eax, [xb_xregs + 4]
  NOT_SMALL_JUMP eax, badarg
  UNTAG_SMALL eax
  test eax, eax
  js badarg
  mov ecx, [ebx]
  shr ecx, HDR_ARITY_SHIFT
  cmp eax, ecx
  ja badarg
  ret

xb_etf_word_2:
  mov eax, [xb_xregs]
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_IMMED1
  jne .boxed
  cmp dword [xb_xregs + 4], TAG_SMALL   ; small 0
  jne badarg
  jmp .out
.boxed:
  CALLA boxed_index
  mov eax, [ebx + 4 * eax]
.out:
  xor edx, edx
  xor ecx, ecx
  CALLA xb_big_from_int64
  mov [xb_xregs], eax
  ret

xb_etf_term_2:
  CALLA boxed_index
  test eax, eax
  jz badarg
  mov ecx, [ebx]
  and ecx, HDR_SUBTAG_MASK
  cmp ecx, HDR_FUN
  je .ok
  cmp ecx, HDR_EXPORT
  jne badarg
.ok:
  mov eax, [ebx + 4 * eax]
  mov [xb_xregs], eax
  ret

xb_etf_make_pid_1:
  mov eax, [xb_xregs]
  NOT_SMALL_JUMP eax, badarg
  test eax, eax
  js badarg
  and eax, ~TAG_IMMED1_MASK             ; N << 4
  or eax, TAG_PID
  mov [xb_xregs], eax
  ret

xb_etf_make_ext_ref_5:
  mov eax, [xb_xregs]
  and eax, 0x3f
  cmp eax, TAG_ATOM
  jne badarg
%assign x 1
%rep 4
  mov eax, [xb_xregs + 4 * x]
  CALLA xb_u32_arg
%assign x x + 1
%endrep
  mov eax, 6
  mov ecx, 5
  ENSURE_HEAP
  mov dword [esi], EXTERNAL_REF_HEADER
%assign x 2
%rep 3                              ; N0, N1, N2
  mov eax, [xb_xregs + 4 * x]
  CALLA xb_u32_arg
  mov [esi + 4 * (x - 1)], eax
%assign x x + 1
%endrep
  mov eax, [xb_xregs]
  mov [esi + 16], eax               ; the node
  mov eax, [xb_xregs + 4]
  CALLA xb_u32_arg
  mov [esi + 20], eax               ; its creation
  lea eax, [esi + TAG_BOXED]
  add esi, 24
  mov [xb_xregs], eax
  ret

xb_etf_make_ref_3:
  mov eax, [xb_xregs]
  CALLA xb_u32_arg
  mov eax, [xb_xregs + 4]
  CALLA xb_u32_arg
  mov eax, [xb_xregs + 8]
  CALLA xb_u32_arg
  mov eax, 4
  mov ecx, 3
  ENSURE_HEAP
  mov dword [esi], (3 << HDR_ARITY_SHIFT) | HDR_REF
  mov eax, [xb_xregs]
  CALLA xb_u32_arg
  mov [esi + 4], eax
  mov eax, [xb_xregs + 4]
  CALLA xb_u32_arg
  mov [esi + 8], eax
  mov eax, [xb_xregs + 8]
  CALLA xb_u32_arg
  mov [esi + 12], eax
  lea eax, [esi + TAG_BOXED]
  add esi, 16
  mov [xb_xregs], eax
  ret
