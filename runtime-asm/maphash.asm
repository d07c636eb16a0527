; runtime-asm/maphash.asm — a map key's place in BEAM's hash trie, for the
; keys whose hash is quick to take here.
;
; In:  x0 = Key, x1 = small G (the hash's generation, 0 and up).
; Out: xbeam:map_key_path(Key, G) -> erts' make_map_hash(Key, G) (its
;      make_internal_hash, salted from generation 1 on) with its eight
;      nibbles reversed, the lowest first: the key's path through the trie,
;      as an unsigned integer; or false when Key is of a kind this does not
;      hash (lists, tuples, maps, references, ports, funs), which
;      runtime-erl/xbeam_maps.erl hashes in Erlang by the same definition.
;      Handled: small integers, atoms, pids, [] (hashed as the 64-bit
;      words a 64-bit erl gives them, the oracle's; an atom's and a pid's
;      word are xbeam's own), bignums (those within a 64-bit erl's small
;      range as the word it would have), floats (+0.0 for -0.0), binaries
;      and bitstrings (Bob Jenkins's block hash, as erts').
%include "macros.inc"

global xb_map_key_path_2
extern xb_xregs, xb_big_from_int64

HC                 equ 0x9e3779b9   ; erts' HCONST, the golden ratio
HC10               equ 0x2e2ac13a   ; HCONST_N = N * HCONST mod 2^32
HC11               equ 0xcc623af3
HC12               equ 0x6a99b4ac
HC13               equ 0x08d12e65
HC15               equ 0x454021d7
HC22               equ 0x98c475e6
INTERNAL_HASH_SALT equ 3432918353

section .bss
bh_len:  resd 1                     ; block_hash: the whole length
bh_left: resd 1                     ; and what is left of it
bh_tail: resd 3                     ; the last 0..11 bytes, zero-padded
digits:  resd 1                     ; a bignum's digits left to mix
con:     resd 1                     ; and the constant for its sign

section .text

; MIX a, b, c, t — Bob Jenkins's 96-bit mix (erts' MIX), t a scratch.
%macro MIX_STEP 6                   ; x -= y; x -= z; x ^= z shifted
  sub %1, %2
  sub %1, %3
  mov %4, %3
  %5 %4, %6
  xor %1, %4
%endmacro
%macro MIX 4
  MIX_STEP %1, %2, %3, %4, shr, 13
  MIX_STEP %2, %3, %1, %4, shl, 8
  MIX_STEP %3, %1, %2, %4, shr, 13
  MIX_STEP %1, %2, %3, %4, shr, 12
  MIX_STEP %2, %3, %1, %4, shl, 16
  MIX_STEP %3, %1, %2, %4, shr, 5
  MIX_STEP %1, %2, %3, %4, shr, 3
  MIX_STEP %2, %3, %1, %4, shl, 10
  MIX_STEP %3, %1, %2, %4, shr, 15
%endmacro

;; mix2 — erts' UINT32_HASH_2(x, y, K): in: eax = x, ebx = y, ecx = K,
;; edx = the hash.  out: edx.  clobbers eax ebx ecx.
mix2:
  add eax, ecx
  add ebx, ecx
  MIX eax, ebx, edx, ecx
  ret

;; block_hash — in: edi = bytes, ecx = how many (0 too), edx = the hash
;; so far.  out: edx.  Twelve bytes at a time into a, b and c, then the
;; last 0..11 (zero-padded; c's low byte is the length's).  clobbers eax
;; ebx ecx edi.
block_hash:
  mov [bh_len], ecx
  mov [bh_left], ecx
  mov eax, HC
  mov ebx, HC
.block:
  cmp dword [bh_left], 12
  jb .tail
  add eax, [edi]
  add ebx, [edi + 4]
  add edx, [edi + 8]
  MIX eax, ebx, edx, ecx
  add edi, 12
  sub dword [bh_left], 12
  jmp .block
.tail:
  mov dword [bh_tail], 0
  mov dword [bh_tail + 4], 0
  mov dword [bh_tail + 8], 0
  xor ecx, ecx
.copy:
  cmp ecx, [bh_left]
  jae .last
  push eax
  mov al, [edi + ecx]
  mov [bh_tail + ecx], al
  pop eax
  inc ecx
  jmp .copy
.last:
  add eax, [bh_tail]
  add ebx, [bh_tail + 4]
  mov ecx, [bh_tail + 8]
  shl ecx, 8
  add edx, ecx
  add edx, [bh_len]
  MIX eax, ebx, edx, ecx
  ret

xb_map_key_path_2:
  mov edx, INTERNAL_HASH_SALT
  mov eax, [xb_xregs + 4]
  sar eax, SMALL_SHIFT
  jz .salted
  mov ebx, 1                        ; generation G: the salt UINT32_HASH_2(G, 1, HCONST_22)
  mov ecx, HC22
  xor edx, edx
  call mix2
  xor edx, INTERNAL_HASH_SALT
.salted:
  mov eax, [xb_xregs]
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_BOXED
  je .boxed
  cmp ecx, TAG_LIST
  je .other
  mov ecx, eax
  and ecx, TAG_IMMED1_MASK
  cmp ecx, TAG_SMALL
  je .small
  cmp ecx, TAG_PID
  je .word
  mov ecx, eax
  and ecx, 0x3f
  cmp ecx, TAG_ATOM
  je .word
  cmp ecx, TAG_NIL
  jne .other
.word:                              ; a 64-bit word with a zero high half
  xor ebx, ebx
  jmp .immediate
.small:                             ; I << 4 | 0xf: the low half is ours, the high I's sign
  mov ebx, eax
  sar ebx, 31
.immediate:
  mov ecx, HC
  call mix2
  jmp .path

.boxed:
  mov edi, eax
  sub edi, TAG_BOXED
  mov ecx, [edi]
  and ecx, HDR_SUBTAG_MASK
  cmp ecx, HDR_POS_BIG
  je .big
  cmp ecx, HDR_NEG_BIG
  je .big
  cmp ecx, HDR_FLOAT
  je .float
  cmp ecx, HDR_HEAP_BIN
  je .binary
  cmp ecx, HDR_REFC_BIN
  je .binary
  cmp ecx, HDR_HEAP_BITS
  je .bits
  cmp ecx, HDR_REFC_BITS
  je .bits
.other:
  mov dword [xb_xregs], ATOM_false
  ret

.float:
  mov eax, [edi + 4]
  mov ebx, [edi + 8]
  mov ecx, ebx
  and ecx, 0x7fffffff
  or ecx, eax
  jnz .float_mix
  xor ebx, ebx                      ; -0.0 hashes as +0.0
.float_mix:
  mov ecx, HC12
  call mix2
  jmp .path

.big:
  mov ecx, [edi]
  shr ecx, HDR_ARITY_SHIFT          ; digits (32-bit, the least significant first)
  cmp ecx, 2
  ja .digits
  mov eax, [edi + 4]
  xor ebx, ebx
  cmp ecx, 1
  je .big_small
  mov ebx, [edi + 8]
  cmp ebx, 1 << 27                  ; a 64-bit erl's smalls: -2^59 .. 2^59 - 1
  jb .big_small
  ja .digits
  test eax, eax
  jnz .digits
  mov ecx, [edi]
  and ecx, HDR_SUBTAG_MASK
  cmp ecx, HDR_NEG_BIG              ; -2^59 is a small, 2^59 is not
  jne .digits
.big_small:                         ; ebx:eax = the magnitude: the word (±value) << 4 | 0xf
  mov ecx, [edi]
  and ecx, HDR_SUBTAG_MASK
  cmp ecx, HDR_NEG_BIG
  jne .big_word
  neg eax
  adc ebx, 0
  neg ebx
.big_word:
  shld ebx, eax, 4
  shl eax, 4
  or eax, 0xf
  jmp .immediate
.digits:                            ; the digits in pairs, mixed with HCONST_10/11 by sign
  mov ecx, [edi]
  mov eax, ecx
  shr ecx, HDR_ARITY_SHIFT
  mov [digits], ecx
  and eax, HDR_SUBTAG_MASK
  mov ecx, HC11
  cmp eax, HDR_NEG_BIG
  jne .sign
  mov ecx, HC10
.sign:
  mov [con], ecx
  add edi, 4
.pair:
  mov eax, [edi]
  xor ebx, ebx
  cmp dword [digits], 1
  je .odd
  mov ebx, [edi + 4]
.odd:
  mov ecx, [con]
  call mix2
  add edi, 8
  sub dword [digits], 2
  jg .pair
  jmp .path

.binary:
  mov ecx, [edi + 4]                ; bytes
  xor eax, eax                      ; no trailing bits
  jmp .bytes
.bits:
  mov ecx, [edi + 4]                ; bits
  mov eax, ecx
  and eax, 7
  shr ecx, 3
.bytes:                             ; ecx whole bytes and eax bits after them
  add edx, HC13                     ; erts' con = HCONST_13 + hash
  mov ebx, ecx
  or ebx, eax
  jz .path                          ; <<>>: con itself
  push eax
  push ecx
  BYTES_ADDR edi, edi
  push edi
  call block_hash
  pop edi
  pop ecx
  pop eax
  test eax, eax
  jz .path
  movzx ebx, byte [edi + ecx]
  push ecx
  mov ecx, 8
  sub ecx, eax
  shr ebx, cl                       ; the trailing bits, right-aligned
  pop ecx
  mov ecx, HC15
  call mix2                         ; UINT32_HASH_2(bits, their value, HCONST_15)
  jmp .path

.path:                              ; edx's nibbles reversed: bytes swapped, then nibbles in each
  bswap edx
  mov eax, edx
  and eax, 0x0f0f0f0f
  shl eax, 4
  shr edx, 4
  and edx, 0x0f0f0f0f
  or eax, edx
  xor edx, edx
  xor ecx, ecx
  CALLA xb_big_from_int64
  mov [xb_xregs], eax
  ret
