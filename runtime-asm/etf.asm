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
global xb_etf_make_ext_ref_5, xb_etf_fits_2, xb_etf_scan_4, xb_etf_uint_3
extern xb_xregs, xb_gc, xb_raise_atom, xb_big_from_int64, xb_bitstring_data

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

;; xbeam:etf_fits(Bin, Pos) -> true | false: whether the external format's
;; structure of one term, from byte Pos of Bin, stays inside Bin: every
;; tag known, every length and count fitting in the bytes that are left.
;; A quick scan before xbeam_etf.erl's decoder, which would otherwise
;; build most of a truncated term before it ran off the end (BEAM sizes a
;; term first too).  It checks no more than that (not atoms' text, not
;; the bytes after the term): where it says true the decoder decides.
;; Counted, not recursive: ecx holds how many terms are still to come.
xb_etf_fits_2:
  mov dword [scan_left], 1
  mov dword [scan_budget], -1       ; (no end)
  jmp scan

;; xbeam:etf_scan(Bin, Pos, Left, Budget) — the same scan of Left terms
;; from byte Pos, in steps: true or false as etf_fits/2 answers, or
;; {Pos2, Left2} where it stopped after Budget terms (xbeam_etf.erl goes
;; on from there in another call, where the scheduler may switch it out,
;; as BEAM's sizing pass yields).
xb_etf_scan_4:
  mov eax, [xb_xregs + 8]
  NOT_SMALL_JUMP eax, badarg
  sar eax, SMALL_SHIFT
  js badarg
  mov [scan_left], eax
  mov eax, [xb_xregs + 12]
  NOT_SMALL_JUMP eax, badarg
  sar eax, SMALL_SHIFT
  cmp eax, 0
  jle badarg
  mov [scan_budget], eax
scan:
  mov [fits_esp], esp               ; (the answer may come from a helper's depth)
  mov eax, [xb_xregs]
  call xb_bitstring_data            ; edx = bytes, ecx = bits
  jc .no
  test ecx, 7
  jnz .no
  shr ecx, 3
  mov [scan_start], edx
  lea edi, [edx + ecx]              ; edi = the end
  mov [scan_len], ecx
  mov eax, [xb_xregs + 4]
  CALLA xb_u32_arg                  ; (a binary can be longer than a small)
  mov ecx, [scan_len]
  cmp eax, ecx
  ja .no
  lea ebx, [edx + eax]              ; ebx = where the scan is
  mov ecx, [scan_left]
.term:
  test ecx, ecx
  jz .yes
  dec dword [scan_budget]
  jz .pause
  dec ecx
  cmp ebx, edi
  jae .no
  movzx eax, byte [ebx]
  inc ebx
  cmp eax, 97
  je .skip1
  cmp eax, 98
  je .skip4
  cmp eax, 70
  je .skip8
  cmp eax, 99
  je .skip31
  cmp eax, 100
  je .len16_skip
  cmp eax, 118
  je .len16_skip
  cmp eax, 107
  je .len16_skip
  cmp eax, 115
  je .len8_skip
  cmp eax, 119
  je .len8_skip
  cmp eax, 104
  je .small_tuple
  cmp eax, 105
  je .large_tuple
  cmp eax, 106
  je .term
  cmp eax, 108
  je .list
  cmp eax, 109
  je .len32_skip
  cmp eax, 77
  je .bit_binary
  cmp eax, 110
  je .small_big
  cmp eax, 111
  je .large_big
  cmp eax, 116
  je .map
  cmp eax, 112
  je .new_fun
  cmp eax, 113
  je .export
  ; A node atom, then fixed bytes: ports, pids, old references.
  mov edx, 8
  cmp eax, 89                       ; NEW_PORT_EXT
  je .node_then
  mov edx, 5
  cmp eax, 102                      ; PORT_EXT
  je .node_then
  cmp eax, 101                      ; REFERENCE_EXT
  je .node_then
  mov edx, 12
  cmp eax, 120                      ; V4_PORT_EXT
  je .node_then
  cmp eax, 88                       ; NEW_PID_EXT
  je .node_then
  mov edx, 9
  cmp eax, 103                      ; PID_EXT
  je .node_then
  cmp eax, 90                       ; NEWER_REFERENCE_EXT: N, node, 4 + 4N
  je .ref
  cmp eax, 114                      ; NEW_REFERENCE_EXT: N, node, 1 + 4N
  je .ref
  jmp .no
.skip1:
  mov eax, 1
  jmp .skip
.skip4:
  mov eax, 4
  jmp .skip
.skip8:
  mov eax, 8
  jmp .skip
.skip31:
  mov eax, 31
  jmp .skip
.len8_skip:
  call .len8
  jmp .skip
.len16_skip:
  call .len16
  jmp .skip
.len32_skip:
  call .len32
  jmp .skip
.bit_binary:
  call .len32
  inc eax                           ; the bits byte, then the bytes
  jz .no
  jmp .skip
.small_big:
  call .len8
  inc eax                           ; the sign, then the digits
  jmp .skip
.large_big:
  call .len32
  inc eax
  jz .no
  jmp .skip
.small_tuple:
  call .len8
  jmp .more
.large_tuple:
  call .len32
  jmp .more
.list:
  call .len32
  inc eax                           ; the elements and the tail
  jz .no
  jmp .more
.map:
  call .len32
  add eax, eax                      ; keys and values
  jc .no
  jmp .more
.export:
  mov eax, 3                        ; module, function, arity
  jmp .more
.new_fun:
  call .len32                       ; its size, counting these 4 bytes
  sub eax, 4
  jb .no
  jmp .skip
.ref:
  push eax
  call .len16
  pop edx
  shl eax, 2                        ; 4N bytes of numbers
  add eax, 1                        ; and a creation byte (NEW_REFERENCE_EXT)
  cmp edx, 114
  je .ref_sized
  add eax, 3                        ; or 4 (NEWER_REFERENCE_EXT)
.ref_sized:
  mov edx, eax
.node_then:                         ; edx bytes after a node atom
  cmp ebx, edi
  jae .no
  movzx eax, byte [ebx]
  inc ebx
  push edx
  cmp eax, 100
  je .node16
  cmp eax, 118
  je .node16
  cmp eax, 115
  je .node8
  cmp eax, 119
  je .node8
  pop edx
  jmp .no
.node16:
  call .len16
  jmp .node_text
.node8:
  call .len8
.node_text:
  pop edx
  add eax, edx
  jmp .skip
; ecx more terms to come: no more than there are bytes left (each takes one).
.more:
  add ecx, eax
  jc .no
  mov edx, edi
  sub edx, ebx
  cmp ecx, edx
  ja .no
  jmp .term
; Past eax bytes, if there are so many left.
.skip:
  mov edx, edi
  sub edx, ebx
  cmp eax, edx
  ja .no
  add ebx, eax
  jmp .term
.yes:
  mov dword [xb_xregs], ATOM_true
  ret
.no:
  mov esp, [fits_esp]
  mov dword [xb_xregs], ATOM_false
  ret
.pause:                             ; {Pos, Left}: integers (a bignum past 2^27)
  mov [scan_left], ecx
  sub ebx, [scan_start]
  mov eax, ebx
  xor edx, edx
  mov ecx, 1
  CALLA xb_big_from_int64
  mov [xb_xregs + 4], eax
  mov eax, [scan_left]
  xor edx, edx
  mov ecx, 2
  CALLA xb_big_from_int64
  mov [xb_xregs + 8], eax
  mov eax, 3
  mov ecx, 3
  ENSURE_HEAP
  mov dword [esi], (2 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov eax, [xb_xregs + 4]
  mov [esi + 4], eax
  mov eax, [xb_xregs + 8]
  mov [esi + 8], eax
  lea eax, [esi + TAG_BOXED]
  add esi, 12
  mov [xb_xregs], eax
  ret
; A length of 1, 2 or 4 bytes (big-endian) into eax, ebx past it; to .no
; (through the return address: these are called) when it is not there.
.len8:
  cmp ebx, edi
  jae .short
  movzx eax, byte [ebx]
  inc ebx
  ret
.len16:
  lea eax, [ebx + 2]
  cmp eax, edi
  ja .short
  movzx eax, word [ebx]
  xchg al, ah
  add ebx, 2
  ret
.len32:
  lea eax, [ebx + 4]
  cmp eax, edi
  ja .short
  mov eax, [ebx]
  bswap eax
  add ebx, 4
  ret
.short:
  jmp .no                           ; (.no resets the stack)

section .bss
fits_esp: resd 1
scan_left: resd 1                   ; etf_scan: terms still to come,
scan_budget: resd 1                 ;   terms to look at before it pauses,
scan_start: resd 1                  ;   the binary's first byte,
scan_len: resd 1                    ;   and its bytes

section .text

;; xbeam:etf_uint(Binary, Position, Bytes) — the unsigned big-endian number
;; in Bytes (1, 2 or 4) bytes of Binary from byte Position; badarg when they
;; are not all in it.  The decoder in runtime-erl/xbeam_etf.erl reads each
;; tag and length so: a binary_part/3 to match would copy them out first.
xb_etf_uint_3:
  mov eax, [xb_xregs]
  call xb_bitstring_data            ; edx = the bytes, ecx = bits
  jc badarg
  mov edi, ecx
  shr edi, 3                        ; bytes
  mov eax, [xb_xregs + 4]
  CALLA xb_u32_arg                  ; (a binary can be longer than a small)
  mov ebx, eax
  mov ecx, edi
  mov eax, [xb_xregs + 8]
  add edx, ebx                      ; the first byte
  sub ecx, ebx                      ; the bytes from it on
  jb badarg
  cmp eax, (1 << SMALL_SHIFT) | TAG_SMALL
  je .one
  cmp eax, (2 << SMALL_SHIFT) | TAG_SMALL
  je .two
  cmp eax, (4 << SMALL_SHIFT) | TAG_SMALL
  jne badarg
  cmp ecx, 4
  jb badarg
  mov eax, [edx]
  bswap eax
  cmp eax, MAX_SMALL
  ja .big
  jmp .small
.two:
  cmp ecx, 2
  jb badarg
  movzx eax, word [edx]
  xchg al, ah
  jmp .small
.one:
  cmp ecx, 1
  jb badarg
  movzx eax, byte [edx]
.small:
  shl eax, SMALL_SHIFT
  or eax, TAG_SMALL
  mov [xb_xregs], eax
  ret
.big:
  xor edx, edx
  xor ecx, ecx
  CALLA xb_big_from_int64
  mov [xb_xregs], eax
  ret
