; runtime-asm/bits.asm — bit syntax: matching and construction.
;
; In:  the calls the emitter makes for OTP 25's bit-syntax instructions
;      (emitter/emit.ts, "Bit syntax"): bs_start_match3/4, bs_get_integer2,
;      bs_get_binary2, bs_get_float2, bs_get_utf8/16/32, bs_skip_*,
;      bs_test_tail2, bs_test_unit, bs_match_string, bs_get/set_position,
;      bs_get_tail and bs_create_bin.
; Out: match contexts, integers, floats, binaries; 0 in eax when a match
;      fails (the emitter jumps to the fail label), or, for construction,
;      0 with the reason (badarg, system_limit) in P_FVALUE.
;
; Data (docs/abi.md): a binary is {header(HEAP_BIN, words), byte size,
; bytes}; a bitstring whose size is not a whole number of bytes is
; {header(HEAP_BITS, words), bit size, bytes}.  The bits of the last byte
; past the size are always zero, so =:= compares words.  Past
; ON_HEAP_BIN_LIMIT bytes, both are ProcBins (REFC_BIN, REFC_BITS: refc.asm)
; whose bytes are elsewhere: bs_create_bin makes them so, and matching out
; a byte-aligned part that long of one shares its bytes.  Bits are numbered
; from the most significant bit of the first byte.  A match context is
; {header(BIN_MATCHSTATE, 3), Binary, Offset * 4 + 3, Size * 4 + 3}: the
; offset and size (in bits) are stored shifted left by two with the
; immediate tag, which makes them words the collector steps over (neither
; a pointer nor a header), while the binary is an ordinary term.  Contexts never
; leave the process (they are not sent, compared or printed).
;
; Heap rules: a fragment that allocates takes ecx = the live x registers
; and finds the context (or source) in x(live), where the collector keeps
; it; it re-reads it from there after allocating.
%include "macros.inc"

global xb_bs_start, xb_bs_get_integer, xb_bs_get_binary, xb_bs_get_float, xb_bs_get_tail
global xb_bs_skip_bits, xb_bs_test_tail, xb_bs_test_unit, xb_bs_match_string
global xb_bs_get_position, xb_bs_set_position, xb_bs_get_utf, xb_bs_create
global xb_bitstring_data, xb_bif_binary_5f_part_2, xb_bif_binary_5f_part_3, xb_bif_arg3
global xb_bs_segments, xb_bs_alloc
extern xb_xregs, xb_gc, xb_big_from_int64, xb_big_finish
extern xb_bin_vheap_full, xb_bin_words, xb_bin_new, xb_refc_new, xb_refc_slice

; Field flags (BEAM's): little-endian, signed, native (= little here).
FLAG_LITTLE equ 2
FLAG_SIGNED equ 4
FLAG_NATIVE equ 16

section .bss
p_live:   resd 1                    ; live x registers of the call
p_bits:   resd 1                    ; the segment's size in bits
p_unit:   resd 1
p_flags:  resd 1
p_off:    resd 1                    ; bit offset
p_n:      resd 1
p_j:      resd 1
p_carry:  resd 1
p_digits: resd 1
p_neg:    resd 1
p_value:  resd 2
p_keep:   resd 1                    ; copy_out: 1 to leave the context where it is
wb_base:  resd 1                    ; write_bits' buffer
c_count:  resd 1                    ; bs_create: segments
c_desc:   resd 1                    ;   their descriptors
c_total:  resd 1                    ;   the result's bits
c_k:      resd 1
c_nonzero: resd 1                   ; segments of more than 0 bits, and the last one
c_only:   resd 1
c_src:    resd 1
g_acc:    resd 1                    ; grow_in_place: the accumulator (seg_write uses c_src)
c_base:   resd 1
c_end:    resd 1
c_result: resd 1                    ; bs_create: a ProcBin made before the bytes (0: a heap binary)
f_bits:   resd 2                    ; a float's bits

xb_bif_arg3: resd 1                 ; a three-argument guard BIF's third
xb_bs_alloc: resd 1                 ; bs_create_bin's Alloc operand (words)
bp_start: resd 1
bp_len:   resd 1

section .text

; ---------------------------------------------------------------------------
; Guard BIFs (the contract of runtime-asm/bifs.asm): binary_part/2,3.
; A part of more than ON_HEAP_BIN_LIMIT bytes of a ProcBin shares its
; bytes (refc.asm); any other is copied into a new binary.

;; binary_part(Bin, {Start, Length})
xb_bif_binary_5f_part_2:
  mov ebx, edx
  and ebx, TAG_PRIMARY_MASK
  cmp ebx, TAG_BOXED
  jne bp_badarg
  cmp dword [edx - TAG_BOXED], (2 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  jne bp_badarg
  mov ebx, [edx - TAG_BOXED + 8]
  mov [xb_bif_arg3], ebx
  mov edx, [edx - TAG_BOXED + 4]
  ; fall through

;; binary_part(Bin, Start, Length): Length may be negative (the part ends at Start).
;; Start and Length may be bignums (a binary may have 2^27 bytes or more).
xb_bif_binary_5f_part_3:
  push ecx                          ; live
  push eax                          ; the binary, where a collection finds it
  mov ebx, eax
  and ebx, TAG_PRIMARY_MASK
  cmp ebx, TAG_BOXED
  jne .badarg
  mov ebx, [eax - TAG_BOXED]
  and ebx, HDR_SUBTAG_MASK
  cmp ebx, HDR_HEAP_BIN
  je .binary
  cmp ebx, HDR_REFC_BIN             ; (either way, the byte size at +4)
  jne .badarg
.binary:
  call word_size                    ; Start: below 2^32 (a bignum from 2^27)
  jc .badarg
  mov [bp_start], eax
  mov edx, [xb_bif_arg3]
  mov ebx, edx
  sar ebx, SMALL_SHIFT
  and edx, TAG_IMMED1_MASK
  cmp edx, TAG_SMALL
  je .length
  mov edx, [xb_bif_arg3]            ; Length: a positive bignum, or a small
  call word_size
  jc .badarg
  test eax, eax
  js .badarg                        ; 2^31 or more: longer than any binary
  mov ebx, eax
.length:
  mov edx, [bp_start]
  mov eax, [esp]                    ; the binary
  test ebx, ebx
  jns .positive
  add edx, ebx                      ; a negative length: [Start + Len, Start)
  neg ebx
.positive:
  test edx, edx
  js .badarg
  mov ecx, [eax - TAG_BOXED + 4]
  cmp edx, ecx
  ja .badarg
  sub ecx, edx
  cmp ebx, ecx
  ja .badarg
  mov [bp_start], edx
  mov [bp_len], ebx
  mov ecx, ebx
  call xb_bin_words
  mov edx, ebx
  mov ecx, [esp + 4]
  ENSURE_HEAP_BIN
  mov ecx, [bp_len]
  mov eax, [esp]                    ; the binary (moved, if collected)
  cmp ecx, ON_HEAP_BIN_LIMIT
  jbe .copy
  mov edx, [eax - TAG_BOXED]
  and edx, HDR_SUBTAG_MASK
  cmp edx, HDR_REFC_BIN
  jne .copy
  mov edx, [bp_start]               ; a part of a ProcBin's bytes: shared
  call xb_refc_slice
  add esp, 8
  ret
.copy:
  call xb_bin_new                   ; eax = the part, edx = its bytes
  push edx                          ; (no collection from here on)
  xchg eax, [esp + 4]               ; the binary (moved, if collected)
  call xb_bitstring_data            ; edx = its bytes
  pop edi
  push esi
  mov esi, edx
  add esi, [bp_start]
  mov ecx, [bp_len]
  rep movsb
  pop esi
  pop eax
  add esp, 4
  ret
.badarg:
  add esp, 8
bp_badarg:
  mov dword [ebp + P_FVALUE], ATOM_badarg
  xor eax, eax
  ret

; ---------------------------------------------------------------------------
; Helpers.

;; xb_bitstring_data — in: eax = a term.  out: CF clear, edx = the address
;; of its bytes, ecx = its size in bits, when it is a bitstring; CF set
;; otherwise.  Preserves eax.
xb_bitstring_data:
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_BOXED
  jne .no
  mov ecx, [eax - TAG_BOXED]
  and ecx, HDR_SUBTAG_MASK
  cmp ecx, HDR_HEAP_BIN
  je .bytes
  cmp ecx, HDR_REFC_BIN
  je .refc
  cmp ecx, HDR_REFC_BITS
  je .refc_bits
  cmp ecx, HDR_HEAP_BITS
  jne .no
  mov ecx, [eax - TAG_BOXED + 4]
  lea edx, [eax - TAG_BOXED + 8]
  clc
  ret
.refc:
  mov ecx, [eax - TAG_BOXED + PB_SIZE]
  shl ecx, 3
  mov edx, [eax - TAG_BOXED + PB_BYTES]
  clc
  ret
.refc_bits:
  mov ecx, [eax - TAG_BOXED + PB_SIZE]
  mov edx, [eax - TAG_BOXED + PB_BYTES]
  clc
  ret
.bytes:
  mov ecx, [eax - TAG_BOXED + 4]
  shl ecx, 3
  lea edx, [eax - TAG_BOXED + 8]
  clc
  ret
.no:
  stc
  ret

;; read_bits — in: edi = bytes, ebx = bit offset, ecx = n (0..32).
;; out: eax = the n bits as an unsigned number.  Clobbers ecx edx.
;; (Reads up to 7 bytes past the field: heap and image words follow.)
read_bits:
  test ecx, ecx
  jz .zero
  push ecx
  mov edx, ebx
  shr edx, 3
  mov eax, [edi + edx]
  mov edx, [edi + edx + 4]
  bswap eax
  bswap edx
  mov ecx, ebx
  and ecx, 7
  shld eax, edx, cl
  pop ecx
  neg ecx
  add ecx, 32
  shr eax, cl
  ret
.zero:
  xor eax, eax
  ret

;; write_bits — in: [wb_base] = bytes (zeroed where written), ebx = bit
;; offset, ecx = n (1..8), eax = the value (its low n bits).  ORs them in.
;; Clobbers eax ecx edx.
write_bits:
  push ebx
  mov edx, 1
  shl edx, cl
  dec edx
  and eax, edx                      ; the low n bits
  mov edx, ebx
  shr edx, 3                        ; the byte
  and ebx, 7                        ; the bit in it
  neg ecx
  add ecx, 16
  sub ecx, ebx                      ; 16 - n - bit: the shift into a 16-bit window
  shl eax, cl
  add edx, [wb_base]
  or [edx], ah
  or [edx + 1], al
  pop ebx
  ret

;; ctx_load — in: eax = a match context.  out: edi = its bytes, ebx = the
;; offset, edx = the bits left.
ctx_load:
  mov edi, [eax - TAG_BOXED + 4]
  BYTES_ADDR edi, edi - TAG_BOXED
  mov ebx, [eax - TAG_BOXED + 8]
  shr ebx, 2
  mov edx, [eax - TAG_BOXED + 12]
  shr edx, 2
  sub edx, ebx
  ret

;; seg_size — in: edx = a size term, ebx = unit | flags << 8.  Sets p_unit,
;; p_flags and p_bits = size * unit.  out: CF set when the size is not a
;; non-negative small or the product overflows.  Clobbers eax edx.
seg_size:
  movzx eax, bl
  mov [p_unit], eax
  mov eax, ebx
  shr eax, 8
  mov [p_flags], eax
  call word_size
  jc .bad
  mul dword [p_unit]
  jc .bad                           ; (edx nonzero: over 32 bits)
  mov [p_bits], eax
  clc
  ret
.bad:
  stc
  ret

;; word_size — in: edx = a term.  out: CF clear and eax = its value when it
;; is a non-negative integer below 2^32 (a small, or a bignum of one
;; digit: a 32-bit BEAM's sizes go that far); CF set otherwise.
word_size:
  mov eax, edx
  and eax, TAG_IMMED1_MASK
  cmp eax, TAG_SMALL
  jne .big
  mov eax, edx
  sar eax, SMALL_SHIFT
  js .no
  clc
  ret
.big:
  mov eax, edx
  and eax, TAG_PRIMARY_MASK
  cmp eax, TAG_BOXED
  jne .no
  cmp dword [edx - TAG_BOXED], (1 << HDR_ARITY_SHIFT) | HDR_POS_BIG
  jne .no
  mov eax, [edx - TAG_BOXED + 4]
  clc
  ret
.no:
  stc
  ret

;; advance — in: eax = a context, ecx = bits to move its offset on.
advance:
  shl ecx, 2
  add [eax - TAG_BOXED + 8], ecx
  ret

;; put_bytes — copies ecx bytes from edx to [edi] (both addresses).
;; Clobbers ecx edx edi.
put_bytes:
  push esi
  mov esi, edx
  rep movsb
  pop esi
  ret

; ---------------------------------------------------------------------------
; Matching.

;; xb_bs_start — in: ecx = live, x(live) = the term.  out: eax = a match
;; context (the term itself when it is one), or 0 when it is no bitstring.
xb_bs_start:
  mov [p_live], ecx
  mov eax, [xb_xregs + 4 * ecx]
  mov edx, eax
  and edx, TAG_PRIMARY_MASK
  cmp edx, TAG_BOXED
  jne .fail
  mov edx, [eax - TAG_BOXED]
  and edx, HDR_SUBTAG_MASK
  cmp edx, HDR_BIN_MATCHSTATE
  je .done
  call xb_bitstring_data
  jc .fail
  mov [p_bits], ecx
  mov eax, 4
  mov ecx, [p_live]
  inc ecx
  ENSURE_HEAP
  mov ecx, [p_live]
  mov eax, [xb_xregs + 4 * ecx]
  mov dword [esi], (3 << HDR_ARITY_SHIFT) | HDR_BIN_MATCHSTATE
  mov [esi + 4], eax
  mov dword [esi + 8], 3
  mov edx, [p_bits]
  shl edx, 2
  or edx, 3
  mov [esi + 12], edx
  lea eax, [esi + TAG_BOXED]
  add esi, 16
.done:
  ret
.fail:
  xor eax, eax
  ret

;; xb_bs_get_position — in: eax = a context.  out: eax = small(offset).
xb_bs_get_position:
  mov eax, [eax - TAG_BOXED + 8]
  shl eax, SMALL_SHIFT - 2
  or eax, TAG_SMALL
  ret

;; xb_bs_set_position — in: eax = a context, edx = small(offset).
xb_bs_set_position:
  sar edx, SMALL_SHIFT - 2
  or edx, 3
  mov [eax - TAG_BOXED + 8], edx
  ret

;; xb_bs_test_tail — in: eax = a context, edx = bits.  out: eax = 0 unless
;; exactly that many bits are left.
xb_bs_test_tail:
  push edx
  call ctx_load
  pop eax
  cmp eax, edx
  mov eax, 0
  jne .done
  inc eax
.done:
  ret

;; xb_bs_test_unit — in: eax = a context, edx = unit.  out: eax = 0 unless
;; the bits left are a multiple of it.
xb_bs_test_unit:
  push edx
  call ctx_load
  mov eax, edx
  xor edx, edx
  pop ecx
  div ecx
  mov eax, 0
  test edx, edx
  jnz .done
  inc eax
.done:
  ret

;; xb_bs_skip_bits — in: eax = a context, edx = a size term (or the atom
;; all), ebx = unit | flags << 8.  out: eax = 0 when too few bits are left.
xb_bs_skip_bits:
  push eax
  cmp edx, ATOM_all
  je .all
  call seg_size
  jc .fail
  mov eax, [esp]
  call ctx_load
  cmp edx, [p_bits]
  jb .fail
  pop eax
  mov ecx, [p_bits]
  call advance
  ret
.all:                               ; the rest, a multiple of the unit
  movzx ecx, bl
  mov eax, [esp]
  call ctx_load
  mov eax, edx
  xor edx, edx
  div ecx
  test edx, edx
  jnz .fail
  pop eax
  mov ecx, [eax - TAG_BOXED + 12]
  mov [eax - TAG_BOXED + 8], ecx
  ret
.fail:
  pop eax
  xor eax, eax
  ret

;; xb_bs_match_string — in: eax = a context, ecx = bits, edx = the bytes
;; to compare with.  out: eax = 0 unless the next bits are those.
xb_bs_match_string:
  mov [p_bits], ecx
  mov [c_src], edx
  push eax
  call ctx_load
  cmp edx, [p_bits]
  jb .fail
  mov [p_off], ebx
  xor eax, eax
  mov [p_j], eax
.byte:
  mov ecx, [p_bits]
  sub ecx, [p_j]
  jbe .same
  cmp ecx, 8
  jbe .last
  mov ecx, 8
.last:
  mov [p_n], ecx
  mov ebx, [p_off]
  add ebx, [p_j]
  call read_bits
  mov edx, [p_j]
  shr edx, 3
  add edx, [c_src]
  movzx edx, byte [edx]
  mov ecx, 8
  sub ecx, [p_n]
  shr edx, cl                       ; a last, partial byte: its top bits
  cmp eax, edx
  jne .fail
  add dword [p_j], 8
  mov ecx, [p_bits]
  cmp [p_j], ecx
  jb .byte
.same:
  pop eax
  mov ecx, [p_bits]
  call advance
  ret
.fail:
  pop eax
  xor eax, eax
  ret

;; xb_bs_get_integer — in: ecx = live, x(live) = a context, edx = a size
;; term, ebx = unit | flags << 8.  out: eax = the integer, or 0.
xb_bs_get_integer:
  mov [p_live], ecx
  call seg_size
  jc .fail
  mov ecx, [p_live]
  mov eax, [xb_xregs + 4 * ecx]
  call ctx_load
  cmp edx, [p_bits]
  jb .fail
  mov [p_off], ebx
  mov ecx, [p_bits]
  mov [p_n], ecx
  cmp ecx, 32
  ja .big
  ; Up to 32 bits: in one word.
  test dword [p_flags], FLAG_LITTLE | FLAG_NATIVE
  jnz .little
  call read_bits
  jmp .word
.little:                            ; 8-bit chunks, the least significant first
  xor eax, eax
  mov [p_value], eax
  mov [p_j], eax
.chunk:
  mov ecx, [p_n]
  sub ecx, [p_j]
  jbe .little_done
  cmp ecx, 8
  jbe .chunk_width
  mov ecx, 8
.chunk_width:
  mov ebx, [p_off]
  add ebx, [p_j]
  call read_bits
  mov ecx, [p_j]
  shl eax, cl
  or [p_value], eax
  add dword [p_j], 8
  jmp .chunk
.little_done:
  mov eax, [p_value]
.word:                              ; eax = the n-bit value
  xor edx, edx
  test dword [p_flags], FLAG_SIGNED
  jz .unsigned
  mov ecx, [p_n]
  test ecx, ecx
  jz .unsigned
  neg ecx
  add ecx, 32
  shl eax, cl
  sar eax, cl                       ; sign-extended from bit n - 1
  cdq
.unsigned:
  mov [p_value], eax
  mov [p_value + 4], edx
  mov ecx, [p_live]
  mov eax, [xb_xregs + 4 * ecx]
  mov ecx, [p_n]
  call advance
  mov eax, [p_value]
  mov edx, [p_value + 4]
  mov ecx, [p_live]
  inc ecx
  CALLA xb_big_from_int64
  ret
.big:
  ; More than 32 bits: the bytes, least significant first, straight into
  ; a bignum's digits (little-endian words), then its sign.
  mov eax, [p_n]
  add eax, 31
  shr eax, 5
  mov [p_digits], eax
  inc eax
  mov ecx, [p_live]
  inc ecx
  ENSURE_HEAP
  mov ecx, [p_digits]
  lea edi, [esi + 4]
  xor eax, eax
  rep stosd
  lea eax, [esi + 4]
  mov [wb_base], eax
  mov ecx, [p_live]
  mov eax, [xb_xregs + 4 * ecx]
  call ctx_load                     ; edi = the bytes (after any collection)
  mov dword [p_j], 0
.big_chunk:
  mov ecx, [p_n]
  sub ecx, [p_j]
  jbe .big_sign
  cmp ecx, 8
  jbe .big_width
  mov ecx, 8
.big_width:
  mov [p_value], ecx                ; this chunk's width
  mov ebx, [p_off]
  test dword [p_flags], FLAG_LITTLE | FLAG_NATIVE
  jnz .big_little
  add ebx, [p_n]                    ; big-endian: the chunk ends j bits from the end
  sub ebx, [p_j]
  sub ebx, ecx
  jmp .big_read
.big_little:
  add ebx, [p_j]
.big_read:
  call read_bits
  mov edx, [p_j]
  shr edx, 3
  add edx, [wb_base]
  mov [edx], al
  add dword [p_j], 8
  jmp .big_chunk
.big_sign:
  xor edx, edx
  test dword [p_flags], FLAG_SIGNED
  jz .big_done
  mov ecx, [p_n]
  dec ecx                           ; the sign bit: n - 1
  mov eax, ecx
  shr eax, 3
  add eax, [wb_base]
  and ecx, 7
  movzx ebx, byte [eax]
  bt ebx, ecx
  jnc .big_done
  ; Negative: ones above the sign bit, then the two's complement.
  mov edx, -1
  shl edx, cl
  shl edx, 1
  or [eax], dl
  inc eax
  mov ecx, [p_digits]
  shl ecx, 2
  add ecx, [wb_base]
.ones:
  cmp eax, ecx
  jae .negate
  mov byte [eax], 0xff
  inc eax
  jmp .ones
.negate:
  mov ecx, [p_digits]
  xor ebx, ebx
  mov edx, 1                        ; the carry of +1
.negate_digit:
  mov eax, [esi + 4 + 4 * ebx]
  not eax
  add eax, edx
  setc dl
  movzx edx, dl
  mov [esi + 4 + 4 * ebx], eax
  inc ebx
  cmp ebx, ecx
  jb .negate_digit
  mov edx, 1
.big_done:
  mov [p_neg], edx
  mov ecx, [p_live]
  mov eax, [xb_xregs + 4 * ecx]
  mov ecx, [p_n]
  call advance
  mov ecx, [p_digits]
  mov edx, [p_neg]
  call xb_big_finish
  ret
.fail:
  xor eax, eax
  ret

;; xb_bs_get_binary — in: ecx = live, x(live) = a context, edx = a size
;; term or the atom all, ebx = unit | flags << 8.  out: eax = a new binary
;; (or bitstring) of those bits, or 0.
xb_bs_get_binary:
  mov [p_live], ecx
  cmp edx, ATOM_all
  je .all
  call seg_size
  jc .fail
  mov ecx, [p_live]
  mov eax, [xb_xregs + 4 * ecx]
  call ctx_load
  cmp edx, [p_bits]
  jb .fail
  jmp copy_out
.all:
  movzx ecx, bl
  mov [p_unit], ecx
  mov ecx, [p_live]
  mov eax, [xb_xregs + 4 * ecx]
  call ctx_load
  mov [p_bits], edx
  mov eax, edx
  xor edx, edx
  div dword [p_unit]
  test edx, edx
  jnz .fail
  jmp copy_out
.fail:
  xor eax, eax
  ret

;; xb_bs_get_tail — in: ecx = live, x(live) = a context.  out: eax = the
;; bits left, as a new binary or bitstring.  The context stays where it is
;; (the compiler may hand it on to another match, which resumes there).
xb_bs_get_tail:
  mov [p_live], ecx
  mov eax, [xb_xregs + 4 * ecx]
  call ctx_load
  mov [p_bits], edx
  mov dword [p_keep], 1
  jmp copy_tail

;; copy_refc — copy_tail's part of more than ON_HEAP_BIN_LIMIT whole
;; bytes: a reference-counted binary.
copy_refc:
  mov eax, PB_WORDS
  mov ecx, [p_live]
  inc ecx
  ENSURE_HEAP_BIN
  mov ecx, [p_live]                 ; from a ProcBin, on a byte boundary:
  mov eax, [xb_xregs + 4 * ecx]     ; a part sharing its bytes
  mov edx, [eax - TAG_BOXED + 8]
  shr edx, 2                        ; the offset
  test edx, 7
  jnz .copy
  mov eax, [eax - TAG_BOXED + 4]
  mov ecx, [eax - TAG_BOXED]
  PROCBIN_JUMP ecx, .slice
.copy:
  mov ecx, [p_bits]
  mov edx, ecx
  shr edx, 3
  call xb_refc_new
  mov [c_src], eax                  ; (no collection from here on)
  mov [wb_base], edx
  mov edi, edx
  mov ecx, [p_bits]
  add ecx, 31
  shr ecx, 5
  xor eax, eax
  rep stosd                         ; (copy_bits ors in a part not byte-aligned)
  mov ecx, [p_live]
  mov eax, [xb_xregs + 4 * ecx]
  call ctx_load
  push ebx
  mov ecx, [p_bits]
  call copy_bits                    ; (the source is byte-aligned or not)
  pop ebx
.moved:
  call advance_unless_kept
  mov eax, [c_src]
  ret
.slice:
  shr edx, 3
  mov ecx, [p_bits]
  shr ecx, 3
  call xb_refc_slice
  mov [c_src], eax
  jmp .moved

;; advance_unless_kept — the context in x(p_live) past the p_bits bits
;; just copied out, unless p_keep.  clobbers eax ecx.
advance_unless_kept:
  cmp dword [p_keep], 0
  jne .kept
  mov ecx, [p_live]
  mov eax, [xb_xregs + 4 * ecx]
  mov ecx, [p_bits]
  jmp advance
.kept:
  ret

;; copy_out — the next p_bits bits of the context in x(p_live) as a new
;; binary or bitstring; the context moves past them (unless p_keep, for
;; bs_get_tail).  out: eax.
copy_out:
  mov dword [p_keep], 0
copy_tail:
  mov edx, [p_bits]
  test edx, 7
  jnz .on_heap
  shr edx, 3
  cmp edx, ON_HEAP_BIN_LIMIT
  ja copy_refc
.on_heap:
  mov eax, [p_bits]
  add eax, 31
  shr eax, 5
  add eax, 2
  mov ecx, [p_live]
  inc ecx
  ENSURE_HEAP
  mov ecx, [p_live]
  mov eax, [xb_xregs + 4 * ecx]
  call ctx_load
  lea eax, [esi + 8]
  mov [wb_base], eax
  mov ecx, [p_bits]
  add ecx, 31
  shr ecx, 5
  push edi
  mov edi, eax
  xor eax, eax
  rep stosd                         ; zero the words (the padding stays zero)
  pop edi
  mov ecx, [p_bits]
  call copy_bits
  call advance_unless_kept
  mov eax, [p_bits]
  ; fall through

;; finish_bits — in: eax = bits, the bytes at HTOP + 8.  out: eax = the
;; binary (HEAP_BIN when whole bytes, else HEAP_BITS), HTOP past it.
finish_bits:
  lea ecx, [eax + 31]
  shr ecx, 5                        ; words of bytes
  test eax, 7
  jnz .bits
  shr eax, 3
  mov [esi + 4], eax
  lea eax, [ecx + 1]
  shl eax, HDR_ARITY_SHIFT
  or eax, HDR_HEAP_BIN
  jmp .header
.bits:
  mov [esi + 4], eax
  lea eax, [ecx + 1]
  shl eax, HDR_ARITY_SHIFT
  or eax, HDR_HEAP_BITS
.header:
  mov [esi], eax
  lea eax, [esi + TAG_BOXED]
  lea esi, [esi + 4 * ecx + 8]
  ret

;; copy_bits — in: edi = source bytes, ebx = source bit offset, ecx = bits,
;; [wb_base] = destination bytes (zeroed), p_off... the destination bit
;; offset is [c_end].  Clobbers eax ecx edx; keeps edi ebx.
;; (copy_out uses destination offset 0.)
copy_bits:
  mov dword [c_end], 0
copy_bits_to:
  mov [p_n], ecx
  mov dword [p_j], 0
  ; Both on byte boundaries: whole bytes at once.
  test ebx, 7
  jnz .chunk
  test dword [c_end], 7
  jnz .chunk
  mov ecx, [p_n]
  shr ecx, 3
  jz .chunk
  push edi
  mov edx, ebx
  shr edx, 3
  add edx, edi
  mov edi, [c_end]
  shr edi, 3
  add edi, [wb_base]
  mov eax, ecx
  call put_bytes
  pop edi
  shl eax, 3
  mov [p_j], eax
.chunk:
  mov ecx, [p_n]
  sub ecx, [p_j]
  jbe .done
  cmp ecx, 8
  jbe .width
  mov ecx, 8
.width:
  push ecx
  push ebx
  add ebx, [p_j]
  call read_bits
  pop ebx
  pop ecx
  push ebx
  mov ebx, [c_end]
  add ebx, [p_j]
  push ecx
  call write_bits
  pop ecx
  pop ebx
  add [p_j], ecx
  jmp .chunk
.done:
  ret

;; xb_bs_get_float — in: ecx = live, x(live) = a context, edx = a size
;; term, ebx = unit | flags << 8.  out: eax = the float (16, 32 or 64
;; bits; not an infinity or NaN), or 0.
xb_bs_get_float:
  mov [p_live], ecx
  call seg_size
  jc .fail
  mov ecx, [p_live]
  mov eax, [xb_xregs + 4 * ecx]
  call ctx_load
  mov ecx, [p_bits]
  cmp edx, ecx
  jb .fail
  mov [p_off], ebx
  cmp ecx, 64
  je .read
  cmp ecx, 32
  je .read
  cmp ecx, 16
  jne .fail
.read:                              ; the bytes in memory order, into f_bits
  mov dword [f_bits], 0
  mov dword [f_bits + 4], 0
  mov dword [p_j], 0
.byte:
  mov ecx, 8
  mov ebx, [p_off]
  add ebx, [p_j]
  call read_bits
  mov edx, [p_j]
  shr edx, 3
  test dword [p_flags], FLAG_LITTLE | FLAG_NATIVE
  jnz .stored
  mov ecx, [p_bits]
  shr ecx, 3
  dec ecx
  sub ecx, edx
  mov edx, ecx                      ; big-endian: the first byte is the last in memory
.stored:
  mov [f_bits + edx], al
  add dword [p_j], 8
  mov ecx, [p_bits]
  cmp [p_j], ecx
  jb .byte
  ; To a double in f_bits.
  cmp dword [p_bits], 64
  je .checked
  cmp dword [p_bits], 32
  je .single
  ; Half precision: sign 1, exponent 5, fraction 10.
  movzx eax, word [f_bits]
  mov edx, eax
  and edx, 0x7c00
  cmp edx, 0x7c00
  je .fail                          ; infinity or NaN
  mov ecx, eax
  and ecx, 0x8000
  shl ecx, 16                       ; the sign, in the high word
  shr edx, 10                       ; exponent
  and eax, 0x3ff                    ; fraction
  test edx, edx
  jnz .half_normal
  test eax, eax
  jz .half_zero
.half_sub:                          ; subnormal: normalize
  dec edx
  shl eax, 1
  test eax, 0x400
  jz .half_sub
  inc edx
  and eax, 0x3ff
.half_normal:
  add edx, 1023 - 15
  shl edx, 20
  shl eax, 10                       ; 10 fraction bits to the top of 20
  or edx, eax
  or edx, ecx
  mov dword [f_bits], 0
  mov [f_bits + 4], edx
  jmp .checked
.half_zero:
  mov dword [f_bits], 0
  mov [f_bits + 4], ecx
  jmp .checked
.single:
  mov eax, [f_bits]
  and eax, 0x7f800000
  cmp eax, 0x7f800000
  je .fail
  fld dword [f_bits]
  fstp qword [f_bits]
.checked:
  mov eax, [f_bits + 4]
  and eax, 0x7ff00000
  cmp eax, 0x7ff00000
  je .fail
  mov eax, 3
  mov ecx, [p_live]
  inc ecx
  ENSURE_HEAP
  mov ecx, [p_live]
  mov eax, [xb_xregs + 4 * ecx]
  mov ecx, [p_bits]
  call advance
  mov dword [esi], (2 << HDR_ARITY_SHIFT) | HDR_FLOAT
  mov eax, [f_bits]
  mov [esi + 4], eax
  mov eax, [f_bits + 4]
  mov [esi + 8], eax
  lea eax, [esi + TAG_BOXED]
  add esi, 12
  ret
.fail:
  xor eax, eax
  ret

;; xb_bs_get_utf — in: eax = a context, ebx = 8, 16 or 32 | flags << 8.
;; out: eax = small(the code point), the context past it; or 0.
xb_bs_get_utf:
  push eax
  movzx ecx, bl
  mov [p_n], ecx
  shr ebx, 8
  mov [p_flags], ebx
  call ctx_load
  mov [p_off], ebx
  mov [p_bits], edx                 ; bits left
  cmp dword [p_n], 16
  je .utf16
  cmp dword [p_n], 32
  je .utf32
  ; UTF-8.
  cmp edx, 8
  jb .fail
  mov ecx, 8
  call read_bits
  cmp eax, 0x80
  jb .one
  cmp eax, 0xc2
  jb .fail
  cmp eax, 0xe0
  jb .two
  cmp eax, 0xf0
  jb .three
  cmp eax, 0xf5
  jae .fail
  and eax, 0x07
  mov ecx, 3
  mov dword [p_digits], 0x10000     ; the least code point of this length
  jmp .continuation
.two:
  and eax, 0x1f
  mov ecx, 1
  mov dword [p_digits], 0x80
  jmp .continuation
.three:
  and eax, 0x0f
  mov ecx, 2
  mov dword [p_digits], 0x800
.continuation:
  mov [p_j], ecx                    ; continuation bytes to read
  lea edx, [ecx + 1]
  shl edx, 3
  cmp edx, [p_bits]
  ja .fail
  mov [p_value], edx                ; the bits this character takes
  mov [p_carry], eax
.next:
  add dword [p_off], 8
  mov ebx, [p_off]
  mov ecx, 8
  call read_bits
  mov edx, eax
  and edx, 0xc0
  cmp edx, 0x80
  jne .fail
  and eax, 0x3f
  mov edx, [p_carry]
  shl edx, 6
  or edx, eax
  mov [p_carry], edx
  dec dword [p_j]
  jnz .next
  mov eax, [p_carry]
  cmp eax, [p_digits]
  jb .fail                          ; overlong
  cmp eax, 0x110000
  jae .fail
  mov edx, eax
  and edx, ~0x7ff
  cmp edx, 0xd800
  je .fail                          ; a surrogate
  mov ecx, [p_value]
  jmp .done
.one:
  mov ecx, 8
  jmp .done
.utf16:
  cmp edx, 16
  jb .fail
  call read16
  mov edx, eax
  and edx, ~0x3ff
  cmp edx, 0xdc00
  je .fail                          ; a lone low surrogate
  cmp edx, 0xd800
  jne .bmp
  cmp dword [p_bits], 32
  jb .fail
  mov [p_carry], eax
  add dword [p_off], 16
  call read16
  mov edx, eax
  and edx, ~0x3ff
  cmp edx, 0xdc00
  jne .fail
  and eax, 0x3ff
  mov edx, [p_carry]
  and edx, 0x3ff
  shl edx, 10
  or eax, edx
  add eax, 0x10000
  mov ecx, 32
  jmp .done
.bmp:
  mov ecx, 16
  jmp .done
.utf32:
  cmp edx, 32
  jb .fail
  mov ecx, 32
  call read_bits
  test dword [p_flags], FLAG_LITTLE | FLAG_NATIVE
  jz .utf32_order
  bswap eax
.utf32_order:
  cmp eax, 0x110000
  jae .fail
  mov edx, eax
  and edx, ~0x7ff
  cmp edx, 0xd800
  je .fail
  mov ecx, 32
.done:
  mov edx, eax
  pop eax
  push edx
  call advance
  pop eax
  TAG_SMALL_INT eax
  ret
.fail:
  pop eax
  xor eax, eax
  ret

;; read16 — 16 bits at p_off in the context's bytes (edi), in the flags' order.
read16:
  mov ebx, [p_off]
  mov ecx, 16
  call read_bits
  test dword [p_flags], FLAG_LITTLE | FLAG_NATIVE
  jz .done
  xchg al, ah
.done:
  ret

; ---------------------------------------------------------------------------
; Construction: bs_create_bin.
;
; in:  ecx = live, edx = the number of segments N, ebx = their descriptors
;      (5 words each: type, unit, flags, string address, string bytes),
;      x(live + 2k) = segment k's value, x(live + 2k + 1) = its size (a
;      small, or the atom all / undefined).
; out: eax = the binary, or 0 with badarg or system_limit in P_FVALUE.

SEG_INTEGER equ 1
SEG_BINARY  equ 2
SEG_FLOAT   equ 3
SEG_UTF8    equ 4
SEG_UTF16   equ 5
SEG_UTF32   equ 6
SEG_STRING  equ 7
SEG_APPEND  equ 8
SEG_PRIVATE_APPEND equ 9            ; the compiler's promise: nothing else refers to the binary

%define DESC(k, field) (ebx + 20 * k + 4 * field)

xb_bs_create:
  mov [p_live], ecx
  CALLA bs_create
  test eax, eax
  jz .done
  ; bs_create_bin's Alloc: words the code after it allocates without a
  ; heap test of its own (BEAM's loader folds that test into this one).
  ; The result waits in x(live) while a collection makes room.
  mov ecx, [xb_bs_alloc]
  lea edx, [esi + 4 * ecx]
  cmp edx, [ebp + P_HEND]
  jbe .done
  mov edx, [p_live]
  mov [xb_xregs + 4 * edx], eax
  lea ecx, [edx + 1]
  mov eax, [xb_bs_alloc]
  CALLA xb_gc
  mov edx, [p_live]
  mov eax, [xb_xregs + 4 * edx]
.done:
  ret

bs_create:
  mov [c_count], edx
  mov [c_desc], ebx
  ; 1. The size of each segment, and the total.
  mov dword [c_total], 0
  mov dword [c_k], 0
  mov dword [c_nonzero], 0
.size:
  mov eax, [c_k]
  cmp eax, [c_count]
  jae .sized
  call seg_bits                     ; eax = bits, or CF with the reason
  jc .error
  test eax, eax
  jz .empty_segment
  inc dword [c_nonzero]
  mov ecx, [c_k]
  mov [c_only], ecx
.empty_segment:
  add [c_total], eax
  jc .limit
  cmp dword [c_total], 0x40000000   ; (contexts keep offsets times four)
  jae .limit
  inc dword [c_k]
  jmp .size
.sized:
  ; A first binary segment and nothing after it but empty ones: the
  ; result is that binary itself, whole (as BEAM: <<B/binary, <<>>/binary>>
  ; is B).
  cmp dword [c_nonzero], 1
  jne .build
  mov eax, [c_only]
  test eax, eax
  jnz .build
  call seg_value                    ; eax = the value, ebx = its descriptor
  mov ecx, [ebx]
  cmp ecx, SEG_BINARY
  je .whole
  cmp ecx, SEG_APPEND
  jne .build
.whole:
  mov ecx, [eax - TAG_BOXED]        ; (a bitstring: seg_bits checked it)
  and ecx, HDR_SUBTAG_MASK
  mov edx, [eax - TAG_BOXED + 4]    ; bits of a HEAP_BITS, bytes of a HEAP_BIN
  cmp ecx, HDR_HEAP_BITS
  je .bits
  shl edx, 3
.bits:
  cmp edx, [c_total]
  je .done
.build:
  call grow_in_place
  jnc .written_in_place
  mov dword [c_result], 0
  mov edx, [c_total]
  add edx, 7
  shr edx, 3
  cmp edx, ON_HEAP_BIN_LIMIT
  ja .refc
  ; 2. Room: the header, the size word, the bytes (zeroed).
  mov eax, [c_total]
  add eax, 31
  shr eax, 5
  add eax, 2
  mov ecx, [c_count]
  shl ecx, 1
  add ecx, [p_live]
  ENSURE_HEAP
  lea edi, [esi + 8]
.zero:
  mov [wb_base], edi
  mov ecx, [c_total]
  add ecx, 31
  shr ecx, 5
  xor eax, eax
  rep stosd
  ; 3. Each segment, at c_end.
  mov dword [c_end], 0
  mov dword [c_k], 0
.write:
  mov eax, [c_k]
  cmp eax, [c_count]
  jae .written
  call seg_write
  inc dword [c_k]
  jmp .write
.written:
  mov eax, [c_total]                ; a reduction per kilobyte written, as BEAM
  shr eax, 13
  sub [ebp + P_FCALLS], eax
  mov eax, [c_result]
  test eax, eax
  jnz .done
  mov eax, [c_total]
  jmp finish_bits
.refc:
  ; 2'. More than ON_HEAP_BIN_LIMIT bytes: a ProcBin, and the bytes in a
  ;     Binary of their own; one that appends made gets room to grow in
  ;     (twice its bytes, 256 at least, as BEAM) and is writable.
  mov eax, PB_WORDS
  mov ecx, [c_count]
  shl ecx, 1
  add ecx, [p_live]
  ENSURE_HEAP_BIN
  mov edx, [c_total]
  add edx, 7
  shr edx, 3
  xor eax, eax
  mov ebx, [c_desc]
  mov ecx, [ebx]                    ; segment 0's type
  cmp ecx, SEG_APPEND
  je .writable
  cmp ecx, SEG_PRIVATE_APPEND
  jne .exact
.writable:
  shl edx, 1
  cmp edx, 256
  jae .roomy
  mov edx, 256
.roomy:
  mov eax, PB_WRITABLE
.exact:
  push eax                          ; (no collection from here on)
  mov ecx, [c_total]
  call xb_refc_new
  pop ecx
  or [eax - TAG_BOXED + PB_FLAGS], ecx
  mov [c_result], eax
  mov edi, edx
  jmp .zero
.written_in_place:
.done:
  ret
.limit:
  mov eax, ATOM_system_limit
.error:
  mov [ebp + P_FVALUE], eax
  xor eax, eax
  ret

;; xb_bs_segments — right after xb_bs_create failed: the segments it was
;; given, as a list of {Seg, Type, Unit, Flags, Value, Size} in order (Seg
;; the compiler's segment number, from the table the emitter puts after
;; the descriptors; Type, Unit and Flags the descriptor's numbers), from
;; which runtime-erl/xbeam_stack.erl works out the error's cause as BEAM
;; does.  out: eax = the list.  May collect (the segments' x registers
;; are live).
xb_bs_segments:
  mov eax, [c_count]
  lea eax, [eax + 8 * eax]          ; a 6-tuple and a cell each
  mov ecx, [c_count]
  shl ecx, 1
  add ecx, [p_live]
  ENSURE_HEAP
  mov edx, NIL
  mov ecx, [c_count]
.segment:                           ; the last first, consed in front
  dec ecx
  js .done
  mov dword [esi], (6 << HDR_ARITY_SHIFT) | HDR_ARITYVAL
  mov ebx, [c_desc]
  mov eax, [c_count]
  lea eax, [eax + 4 * eax]
  lea eax, [ebx + 4 * eax]          ; the segment numbers, after 5 words per segment
  mov eax, [eax + 4 * ecx]
  TAG_SMALL_INT eax
  mov [esi + 4], eax
  lea eax, [ecx + 4 * ecx]
  lea ebx, [ebx + 4 * eax]          ; segment ecx's descriptor
%assign f 0
%rep 3
  mov eax, [ebx + 4 * f]
  TAG_SMALL_INT eax
  mov [esi + 8 + 4 * f], eax
%assign f f + 1
%endrep
  lea eax, [2 * ecx]
  add eax, [p_live]
  mov ebx, [xb_xregs + 4 * eax]
  mov [esi + 20], ebx
  mov ebx, [xb_xregs + 4 * eax + 4]
  mov [esi + 24], ebx
  lea eax, [esi + TAG_BOXED]
  mov [esi + 28], eax
  mov [esi + 32], edx
  lea edx, [esi + 28 + TAG_LIST]
  add esi, 36
  jmp .segment
.done:
  mov eax, edx
  ret

;; grow_in_place — a comprehension's accumulator grows where it lies: when
;; segment 0 is a private append of a binary that is the last object on
;; the heap and the heap has room, the other segments are written after
;; its bits and its header and size grow.  (A binary built this way is
;; not copied once per element: a comprehension stays linear.)  out: CF
;; clear and eax = the binary when done so; CF set otherwise (nothing
;; changed).
grow_in_place:
  mov ebx, [c_desc]
  cmp dword [ebx], SEG_PRIVATE_APPEND
  je .append
  cmp dword [ebx], SEG_APPEND
  jne .no
.append:
  mov ecx, [p_live]
  mov eax, [xb_xregs + 4 * ecx]     ; the accumulator
  call xb_bitstring_data            ; edx = bytes, ecx = bits
  jc .no
  mov [p_n], ecx
  mov [g_acc], eax
  mov ecx, [eax - TAG_BOXED]
  PROCBIN_JUMP ecx, .refc
  cmp dword [ebx], SEG_PRIVATE_APPEND
  jne .no
  mov ecx, [eax - TAG_BOXED]
  shr ecx, HDR_ARITY_SHIFT
  lea ecx, [eax - TAG_BOXED + 4 * ecx + 4]
  cmp ecx, esi
  jne .no                           ; not the last object (or not on the heap)
  ; Words of bytes now and after.
  mov eax, [p_n]
  add eax, 31
  shr eax, 5
  mov [p_digits], eax
  mov eax, [c_total]
  add eax, 31
  shr eax, 5
  sub eax, [p_digits]               ; the words to add
  lea ecx, [esi + 4 * eax]
  cmp ecx, [ebp + P_HEND]
  ja .no
  mov ecx, eax
  mov edi, esi
  xor eax, eax
  rep stosd
  mov esi, edi                      ; HTOP past the new words (zeroed)
  mov eax, [g_acc]
  lea edx, [eax - TAG_BOXED + 8]
  mov [wb_base], edx
  mov ecx, [p_n]
  mov [c_end], ecx
  mov dword [c_k], 1
.segment:
  mov eax, [c_k]
  cmp eax, [c_count]
  jae .header
  call seg_write
  inc dword [c_k]
  jmp .segment
.header:
  mov eax, [g_acc]
  mov ecx, [c_total]
  lea edx, [ecx + 31]
  shr edx, 5
  inc edx
  shl edx, HDR_ARITY_SHIFT
  test ecx, 7
  jnz .bits
  shr ecx, 3
  or edx, HDR_HEAP_BIN
  jmp .store
.bits:
  or edx, HDR_HEAP_BITS
.store:
  mov [eax - TAG_BOXED], edx
  mov [eax - TAG_BOXED + 4], ecx
  clc
  ret
.no:
  stc
  ret
.refc:
  ; A writable ProcBin with all the bits of its Binary and room there for
  ; the rest.  A private append grows it; an append makes a new ProcBin
  ; that grows, and the old one keeps its size and is writable no more.
  test dword [eax - TAG_BOXED + PB_FLAGS], PB_WRITABLE
  jz .no
  mov edx, [eax - TAG_BOXED + PB_VAL]
  mov ecx, [p_n]
  cmp ecx, [edx + BB_SIZE]
  jne .no
  lea ecx, [edx + BB_DATA]
  cmp ecx, [eax - TAG_BOXED + PB_BYTES]
  jne .no
  mov ecx, [c_total]
  add ecx, 7
  shr ecx, 3
  cmp ecx, [edx + BB_ROOM]
  ja .no
  cmp dword [ebx], SEG_APPEND
  jne .grow
  mov eax, PB_WORDS
  mov ecx, [c_count]
  shl ecx, 1
  add ecx, [p_live]
  ENSURE_HEAP
  mov ecx, [p_live]
  mov eax, [xb_xregs + 4 * ecx]     ; (moved, if collected)
  and dword [eax - TAG_BOXED + PB_FLAGS], ~PB_WRITABLE
  xor ecx, ecx                      ; all of its bytes, shared (header and
  xor edx, edx                      ; size below)
  call xb_refc_slice
  mov dword [eax - TAG_BOXED + PB_FLAGS], PB_WRITABLE
  mov [g_acc], eax
.grow:
  mov eax, [g_acc]
  mov edx, [eax - TAG_BOXED + PB_BYTES]
  mov [wb_base], edx
  mov ecx, [p_n]
  mov [c_end], ecx
  mov dword [c_k], 1
.refc_segment:
  mov eax, [c_k]
  cmp eax, [c_count]
  jae .refc_size
  call seg_write
  inc dword [c_k]
  jmp .refc_segment
.refc_size:
  mov eax, [g_acc]
  mov ecx, [c_total]
  mov edx, [eax - TAG_BOXED + PB_VAL]
  mov [edx + BB_SIZE], ecx
  mov edx, ecx
  sub edx, [p_n]
  shr edx, 3
  add [ebp + P_BIN_VHEAP], edx
  mov edx, PROCBIN_HEADER
  test ecx, 7
  jnz .refc_bits
  shr ecx, 3
  jmp .refc_store
.refc_bits:
  mov edx, PROCBIN_HEADER | HDR_REFC_BITS
.refc_store:
  mov [eax - TAG_BOXED], edx
  mov [eax - TAG_BOXED + PB_SIZE], ecx
  clc
  ret

;; seg_value — in: eax = k.  out: eax = value term, edx = size term; ebx =
;; the descriptor.  Clobbers ecx.
seg_value:
  mov ecx, eax
  shl ecx, 1
  add ecx, [p_live]
  mov edx, [xb_xregs + 4 * ecx + 4]
  lea ebx, [eax + 4 * eax]
  shl ebx, 2
  add ebx, [c_desc]
  mov eax, [xb_xregs + 4 * ecx]
  ret

;; seg_bits — in: eax = k.  out: CF clear, eax = the segment's bits; or CF
;; set, eax = the reason.
seg_bits:
  call seg_value
  mov ecx, [ebx]
  cmp ecx, SEG_STRING
  je .string
  cmp ecx, SEG_UTF8
  je .utf8
  cmp ecx, SEG_UTF16
  je .utf16
  cmp ecx, SEG_UTF32
  je .utf32
  cmp ecx, SEG_BINARY
  je .binary
  cmp ecx, SEG_APPEND
  je .binary
  cmp ecx, SEG_PRIVATE_APPEND
  je .binary
  ; integer or float: value and size*unit
  mov [p_value], eax
  mov ecx, [ebx + 4]
  mov [p_unit], ecx
  call size_bits
  jc .fail
  mov ecx, [ebx]
  cmp ecx, SEG_FLOAT
  je .float
  mov eax, [p_value]
  NOT_INTEGER_JUMP eax, .badarg
  mov eax, [p_bits]
  clc
  ret
.float:
  mov eax, [p_bits]
  cmp eax, 64
  je .float_value
  cmp eax, 32
  je .float_value
  cmp eax, 16
  jne .badarg
.float_value:
  mov eax, [p_value]
  call to_double
  jc .badarg
  mov eax, [p_bits]
  clc
  ret
.binary:
  push edx
  call xb_bitstring_data            ; ecx = its bits
  pop edx
  jc .badarg
  mov [p_n], ecx
  cmp edx, ATOM_all
  je .all
  mov ecx, [ebx + 4]
  mov [p_unit], ecx
  call size_bits
  jc .fail
  mov eax, [p_bits]
  cmp eax, [p_n]
  ja .badarg                        ; more bits than the binary has
  clc
  ret
.all:
  mov eax, [p_n]
  mov ecx, [ebx + 4]
  cmp ecx, 1
  jbe .all_ok
  push eax
  xor edx, edx
  div ecx
  pop eax
  test edx, edx
  jnz .badarg
.all_ok:
  clc
  ret
.string:
  mov eax, [ebx + 16]
  shl eax, 3
  clc
  ret
.utf8:
  call code_point
  jc .badarg
  mov ecx, 8
  cmp eax, 0x80
  jb .utf_bits
  mov ecx, 16
  cmp eax, 0x800
  jb .utf_bits
  mov ecx, 24
  cmp eax, 0x10000
  jb .utf_bits
  mov ecx, 32
.utf_bits:
  mov eax, ecx
  clc
  ret
.utf16:
  call code_point
  jc .badarg
  mov ecx, 16
  cmp eax, 0x10000
  jb .utf_bits
  mov ecx, 32
  jmp .utf_bits
.utf32:
  call code_point
  jc .badarg
  mov eax, 32
  clc
  ret
.badarg:
  mov eax, ATOM_badarg
.fail:
  stc
  ret

;; size_bits — in: edx = size term, [p_unit].  out: CF clear and p_bits =
;; size * unit; CF set and eax = badarg (not a non-negative integer) or
;; system_limit (too large).
size_bits:
  call word_size
  jc .not_small
  mul dword [p_unit]
  jc .limit
  mov [p_bits], eax
  clc
  ret
.not_small:                         ; negative, too large, or no integer
  mov eax, edx
  and eax, TAG_IMMED1_MASK
  cmp eax, TAG_SMALL
  je .badarg                        ; a negative small
  mov eax, edx
  NOT_INTEGER_JUMP eax, .badarg
  mov eax, [edx - TAG_BOXED]
  and eax, HDR_SUBTAG_MASK
  cmp eax, HDR_NEG_BIG
  je .badarg
.limit:
  mov eax, ATOM_system_limit
  stc
  ret
.badarg:
  mov eax, ATOM_badarg
  stc
  ret

;; code_point — in: eax = a term.  out: CF clear and eax = a valid Unicode
;; code point; CF set otherwise.
code_point:
  NOT_SMALL_JUMP eax, .bad
  sar eax, SMALL_SHIFT
  js .bad
  cmp eax, 0x110000
  jae .bad
  mov ecx, eax
  and ecx, ~0x7ff
  cmp ecx, 0xd800
  je .bad
  clc
  ret
.bad:
  stc
  ret

;; to_double — in: eax = a number.  out: CF clear, f_bits = it as a double
;; (rounded once); CF set when it is not a number or too large.
to_double:
  mov ecx, eax
  and ecx, TAG_IMMED1_MASK
  cmp ecx, TAG_SMALL
  je .small
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_BOXED
  jne .bad
  mov ecx, [eax - TAG_BOXED]
  and ecx, HDR_SUBTAG_MASK
  cmp ecx, HDR_FLOAT
  je .float
  cmp ecx, HDR_POS_BIG
  je .big
  cmp ecx, HDR_NEG_BIG
  jne .bad
.big:                               ; digits from the most significant
  push ebx
  mov ebx, [eax - TAG_BOXED]
  shr ebx, HDR_ARITY_SHIFT
  fldz
.digit:
  fmul dword [two_32]
  push dword 0
  push dword [eax - TAG_BOXED + 4 * ebx]
  fild qword [esp]
  add esp, 8
  faddp st1, st0
  dec ebx
  jnz .digit
  pop ebx
  cmp ecx, HDR_NEG_BIG
  jne .store
  fchs
.store:
  fstp qword [f_bits]
  mov ecx, [f_bits + 4]
  and ecx, 0x7ff00000
  cmp ecx, 0x7ff00000
  je .bad
  clc
  ret
.small:
  sar eax, SMALL_SHIFT
  push eax
  fild dword [esp]
  add esp, 4
  jmp .store
.float:
  mov ecx, [eax - TAG_BOXED + 4]
  mov [f_bits], ecx
  mov ecx, [eax - TAG_BOXED + 8]
  mov [f_bits + 4], ecx
  clc
  ret
.bad:
  stc
  ret

;; seg_write — in: eax = k; the segment goes at c_end, which moves past it.
seg_write:
  call seg_value
  mov ecx, [ebx]
  cmp ecx, SEG_INTEGER
  je .integer
  cmp ecx, SEG_FLOAT
  je .float
  cmp ecx, SEG_STRING
  je .string
  cmp ecx, SEG_UTF8
  je .utf8
  cmp ecx, SEG_UTF16
  je .utf16
  cmp ecx, SEG_UTF32
  je .utf32
  ; A binary (or append): its first p_bits bits.
  mov [c_src], eax
  cmp edx, ATOM_all
  je .all
  mov ecx, [ebx + 4]
  mov [p_unit], ecx
  call size_bits
  mov eax, [c_src]
  call xb_bitstring_data
  mov ecx, [p_bits]
  jmp .copy
.all:
  call xb_bitstring_data
.copy:
  push ecx
  push edi
  push ebx
  mov edi, edx
  xor ebx, ebx
  call copy_bits_to
  pop ebx
  pop edi
  pop ecx
  add [c_end], ecx
  ret
.string:
  push edi
  mov edi, [ebx + 12]
  mov ecx, [ebx + 16]
  shl ecx, 3
  push ecx
  push ebx
  xor ebx, ebx
  call copy_bits_to
  pop ebx
  pop ecx
  pop edi
  add [c_end], ecx
  ret
.integer:
  mov [p_value], eax
  mov ecx, [ebx + 4]
  mov [p_unit], ecx
  mov ecx, [ebx + 8]
  mov [p_flags], ecx
  call size_bits
  jmp put_integer
.float:
  mov [p_value], eax
  mov ecx, [ebx + 4]
  mov [p_unit], ecx
  mov ecx, [ebx + 8]
  mov [p_flags], ecx
  call size_bits
  mov eax, [p_value]
  call to_double
  jmp put_float
.utf8:
  call code_point
  cmp eax, 0x80
  jb .utf8_one
  cmp eax, 0x800
  jb .utf8_two
  cmp eax, 0x10000
  jb .utf8_three
  mov edx, eax                      ; four bytes
  shr eax, 18
  or eax, 0xf0
  call put_byte
  mov eax, edx
  shr eax, 12
  jmp .utf8_cont3
.utf8_three:
  mov edx, eax
  shr eax, 12
  or eax, 0xe0
  call put_byte
  mov eax, edx
  shr eax, 6
  and eax, 0x3f
  or eax, 0x80
  call put_byte
  mov eax, edx
  jmp .utf8_last
.utf8_cont3:
  and eax, 0x3f
  or eax, 0x80
  call put_byte
  mov eax, edx
  shr eax, 6
  and eax, 0x3f
  or eax, 0x80
  call put_byte
  mov eax, edx
  jmp .utf8_last
.utf8_two:
  mov edx, eax
  shr eax, 6
  or eax, 0xc0
  call put_byte
  mov eax, edx
.utf8_last:
  and eax, 0x3f
  or eax, 0x80
.utf8_one:
  jmp put_byte
.utf16:
  mov ecx, [ebx + 8]
  mov [p_flags], ecx
  call code_point
  cmp eax, 0x10000
  jb put_word16
  sub eax, 0x10000
  mov edx, eax
  shr eax, 10
  or eax, 0xd800
  push edx
  call put_word16
  pop eax
  and eax, 0x3ff
  or eax, 0xdc00
  jmp put_word16
.utf32:
  mov ecx, [ebx + 8]
  mov [p_flags], ecx
  call code_point
  test dword [p_flags], FLAG_LITTLE | FLAG_NATIVE
  jz .utf32_big
  bswap eax
.utf32_big:
  mov edx, eax
  shr eax, 24
  call put_byte
  mov eax, edx
  shr eax, 16
  call put_byte
  mov eax, edx
  shr eax, 8
  call put_byte
  mov eax, edx
  jmp put_byte

;; put_byte — eax's low 8 bits at c_end.  Preserves edx.
put_byte:
  push edx
  push ebx
  mov ebx, [c_end]
  mov ecx, 8
  call write_bits
  add dword [c_end], 8
  pop ebx
  pop edx
  ret

;; put_word16 — eax's low 16 bits at c_end, in p_flags' order.
put_word16:
  test dword [p_flags], FLAG_LITTLE | FLAG_NATIVE
  jz .big
  xchg al, ah
.big:
  push eax
  shr eax, 8
  call put_byte
  pop eax
  jmp put_byte

;; put_integer — p_value (an integer) in p_bits bits at c_end, in p_flags'
;; order: 8-bit chunks from the least significant, each at its place.
put_integer:
  mov eax, [p_bits]
  test eax, eax
  jz .done
  mov dword [p_j], 0
  mov dword [p_carry], 1            ; for the two's complement of a negative bignum
.chunk:
  mov ecx, [p_bits]
  sub ecx, [p_j]
  jbe .done
  cmp ecx, 8
  jbe .width
  mov ecx, 8
.width:
  mov [p_n], ecx
  call value_byte                   ; eax = byte j / 8 of the value
  mov ecx, [p_n]
  mov ebx, [c_end]
  test dword [p_flags], FLAG_LITTLE | FLAG_NATIVE
  jnz .place
  add ebx, [p_bits]                 ; big-endian: counted from the end
  sub ebx, [p_j]
  sub ebx, ecx
  jmp .put
.place:
  add ebx, [p_j]
.put:
  call write_bits
  add dword [p_j], 8
  jmp .chunk
.done:
  mov eax, [p_bits]
  add [c_end], eax
  ret

;; value_byte — byte p_j / 8 (from the least significant) of p_value's
;; two's complement; negative bignums carry through p_carry, so bytes must
;; be asked for in order.  out: eax.  Clobbers ecx edx.
value_byte:
  mov eax, [p_value]
  mov ecx, [p_j]                    ; the bit position
  mov edx, eax
  and edx, TAG_IMMED1_MASK
  cmp edx, TAG_SMALL
  jne .big
  sar eax, SMALL_SHIFT
  cmp ecx, 32
  jae .sign
  sar eax, cl
  ret
.sign:
  sar eax, 31
  ret
.big:
  mov edx, [eax - TAG_BOXED]
  push ebx
  mov ebx, edx
  shr ebx, HDR_ARITY_SHIFT          ; digits
  shl ebx, 5                        ; their bits
  cmp ecx, ebx
  mov ebx, 0
  jae .magnitude                    ; beyond the digits: 0
  shr ecx, 3
  movzx ebx, byte [eax - TAG_BOXED + 4 + ecx]
.magnitude:
  mov eax, ebx
  pop ebx
  and edx, HDR_SUBTAG_MASK
  cmp edx, HDR_NEG_BIG
  jne .done
  not eax                           ; negative: ~byte + carry
  and eax, 0xff
  add eax, [p_carry]
  mov edx, eax
  shr edx, 8
  mov [p_carry], edx
.done:
  ret

;; put_float — f_bits (a double) in p_bits (16, 32, 64) bits at c_end.
put_float:
  mov eax, [p_bits]
  cmp eax, 64
  je .bytes
  cmp eax, 32
  je .single
  ; Half precision, rounded to nearest even; too large: infinity.  With
  ; M the 53-bit significand and e the exponent, the half is M >> s
  ; rounded (s = 42 for a normal half, whose hidden bit then adds one to
  ; the exponent field; s = 28 - e for a subnormal one), plus the
  ; exponent field, plus the sign.
  mov edx, [f_bits + 4]
  mov eax, edx
  and eax, 0x80000000
  shr eax, 16
  mov [p_n], eax                    ; the sign at bit 15
  mov ecx, edx
  shr ecx, 20
  and ecx, 0x7ff                    ; the biased exponent
  test ecx, ecx
  jz .half_zero                     ; zero or a double subnormal: below any half
  mov eax, [f_bits]
  and edx, 0xfffff
  or edx, 0x100000                  ; edx:eax = M
  sub ecx, 1023                     ; e
  cmp ecx, 15
  jg .half_inf
  mov dword [p_j], 0                ; the exponent field's base
  mov ebx, 42
  cmp ecx, -14
  jge .half_shift
  mov ebx, 28
  sub ebx, ecx                      ; s = 28 - e
  cmp ebx, 63
  ja .half_zero
  jmp .half_go
.half_shift:
  add ecx, 14                       ; (e + 15 - 1) << 10: the hidden bit adds the last one
  shl ecx, 10
  mov [p_j], ecx
.half_go:
  ; q = M >> s with t = s - 32 (10..31): q = edx >> t; the rest is
  ; edx's low t bits and eax; half of the unit is bit t - 1 of edx.
  lea ecx, [ebx - 32]
  mov ebx, edx
  shr ebx, cl                       ; q
  mov eax, 1
  shl eax, cl
  dec eax
  and edx, eax                      ; the rest's high part
  shr eax, 1
  inc eax                           ; half: 1 << (t - 1)
  cmp edx, eax
  jb .half_rounded
  ja .half_up
  cmp dword [f_bits], 0
  jne .half_up
  test ebx, 1                       ; a tie: to even
  jz .half_rounded
.half_up:
  inc ebx
.half_rounded:
  add ebx, [p_j]
  cmp ebx, 0x7c00
  jae .half_inf
  mov eax, ebx
  or eax, [p_n]
  jmp .half_put
.half_zero:
  mov eax, [p_n]
  jmp .half_put
.half_inf:
  mov eax, [p_n]
  or eax, 0x7c00
.half_put:
  mov [f_bits], eax
  mov dword [f_bits + 4], 0
  jmp .bytes
.single:
  fld qword [f_bits]
  fstp dword [f_bits]
.bytes:                             ; the p_bits / 8 bytes of f_bits, least significant first in memory
  mov dword [p_j], 0
.byte:
  mov eax, [p_j]
  cmp eax, [p_bits]
  jae .done
  shr eax, 3
  test dword [p_flags], FLAG_LITTLE | FLAG_NATIVE
  jnz .in_order
  mov ecx, [p_bits]
  shr ecx, 3
  dec ecx
  sub ecx, eax
  mov eax, ecx                      ; big-endian: the most significant first
.in_order:
  movzx eax, byte [f_bits + eax]
  call put_byte
  add dword [p_j], 8
  jmp .byte
.done:
  ret

section .rodata
two_32: dd 0x4f800000                ; 2^32 as a single float
