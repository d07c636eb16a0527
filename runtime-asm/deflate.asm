; runtime-asm/deflate.asm — the match-finding half of zlib's deflate, as
; zlib 1.2.13 (the one Debian's erl links) does it for one call of
; deflate(Z_FINISH) with all the input given, which is how erts compresses
; term_to_binary's output.  The other half (Huffman trees and the bit
; stream) is Erlang: runtime-erl/xbeam_zlib.erl.
;
; In:  xbeam:deflate_lz(Data, Level): x0 = a binary, x1 = 1..9.
; Out: x0 = a binary of 16-bit little-endian units, in order:
;        a literal byte                 C                    (0..255)
;        a match                        256 + Length - 3, Distance
;        the end of a block             0xFFFC + 2 * Last + Stored
;      where Stored says that the block's bytes were still in zlib's
;      window when it was flushed (a stored block is possible), and Last
;      marks the final block.  A block ends after 16383 symbols, as
;      zlib's (memLevel 8: lit_bufsize 16384).  false when memory has no
;      room for the work; badarg for other arguments.
;
; zlib keeps a 64 KiB window over the input that slides by 32 KiB; this
; keeps the whole input and absolute positions instead, so zlib's window
; index is (position - base), base the 32 KiB multiple slid past.  What
; that changes:
;   - a hash entry at or below base is zlib's NIL (zlib clears them when
;     it slides, and its index 0 is NIL too);
;   - near the input's end zlib compares bytes past it (zeros, or what
;     an earlier slide left in its window).  They never change the
;     output: a candidate that matches up to the end stops the search
;     (nice_match is cut to the lookahead) and its length is cut to the
;     lookahead, and when the previous match already reaches the end
;     (prev_length >= lookahead) that match goes out whatever is found.
;     So here a comparison stops at the end, and no search is made when
;     the previous match reaches it: no byte past the input is read.
; Levels 1-3 are zlib's deflate_fast, 4-9 deflate_slow, with zlib's table
; of good/lazy/nice/chain lengths.
%include "macros.inc"

global xb_deflate_lz_2
extern xb_xregs, xb_raise_atom, xb_alloc_try, xb_free, xb_gc
extern xb_bin_new, xb_bin_words, xb_bin_vheap_full, xb_bitstring_data

WSIZE         equ 32768             ; zlib's window size (windowBits 15)
WMASK         equ WSIZE - 1
HASH_SIZE     equ 32768             ; memLevel 8: hash_bits 15
MIN_MATCH     equ 3
MAX_MATCH     equ 258
MIN_LOOKAHEAD equ MAX_MATCH + MIN_MATCH + 1
MAX_DIST      equ WSIZE - MIN_LOOKAHEAD
TOO_FAR       equ 4096
SYM_LIMIT     equ 16383             ; symbols a block holds (lit_bufsize - 1)
LENGTH_UNIT   equ 256 - MIN_MATCH   ; + length: a match's first unit
BLOCK_END     equ 0xFFFC
HEAD_BYTES    equ 4 * HASH_SIZE
PREV_BYTES    equ 4 * WSIZE

section .rodata
align 4
;; zlib's configuration_table: good_length, max_lazy (max_insert_length
;; for deflate_fast), nice_length, max_chain; and whether deflate_fast.
config:
  dd 4,   4,   8,    4, 1           ; level 1
  dd 4,   5,  16,    8, 1
  dd 4,   6,  32,   32, 1
  dd 4,   4,  16,   16, 0
  dd 8,  16,  32,   32, 0
  dd 8,  16, 128,  128, 0           ; level 6, the default
  dd 8,  32, 128,  256, 0
  dd 32, 128, 258, 1024, 0
  dd 32, 258, 258, 4096, 0          ; level 9

section .bss
z_htop:      resd 1                 ; HTOP and the process, kept while
z_proc:      resd 1                 ; esi and ebp do other work
z_block:     resd 1                 ; the work block and its size
z_block_len: resd 1
z_win:       resd 1                 ; the input's bytes
z_end:       resd 1                 ; the input's length
z_head:      resd 1                 ; hash -> the last position inserted
z_prev:      resd 1                 ; position & WMASK -> the one before
z_syms:      resd 1                 ; the symbol units
z_out:       resd 1                 ; and where the next goes
z_nsyms:     resd 1                 ; symbols in the current block
z_base:      resd 1                 ; what zlib's window has slid past
z_strstart:  resd 1
z_lookahead: resd 1
z_block_start: resd 1
z_match_length: resd 1
z_prev_length: resd 1
z_match_start: resd 1
z_prev_match: resd 1
z_match_available: resd 1
z_max_insert: resd 1
z_count:     resd 1
z_bflush:    resd 1
z_good:      resd 1
z_lazy:      resd 1
z_nice:      resd 1
z_chain:     resd 1
lm_chain:    resd 1                 ; longest_match's own
lm_nice:     resd 1
lm_limit:    resd 1
lm_cur:      resd 1
lm_end:      resd 1                 ; where a comparison stops

section .text

xb_deflate_lz_2:
  mov eax, [xb_xregs + 4]
  NOT_SMALL_JUMP eax, .badarg
  UNTAG_SMALL eax
  dec eax
  cmp eax, 9                        ; unsigned: 1..9 only
  jae .badarg
  lea eax, [eax + 4 * eax]
  lea eax, [config + 4 * eax]
  mov ecx, [eax]
  mov [z_good], ecx
  mov ecx, [eax + 4]
  mov [z_lazy], ecx
  mov ecx, [eax + 8]
  mov [z_nice], ecx
  mov ecx, [eax + 12]
  mov [z_chain], ecx
  mov ebx, [eax + 16]               ; ebx = fast?
  mov eax, [xb_xregs]
  call xb_bitstring_data            ; edx = bytes, ecx = bits
  jc .badarg
  test ecx, 7
  jnz .badarg
  shr ecx, 3
  mov [z_end], ecx
  ; The block: head, prev, the symbols (a unit a byte at most, as a
  ; match of 3 bytes or more takes two, and the blocks' ends).
  mov [z_win], edx
  mov eax, ecx
  shr eax, 13                       ; > blocks (16383 symbols each) + 2
  lea eax, [eax + ecx + 4]
  add eax, eax
  jc .no_room
  add eax, HEAD_BYTES + PREV_BYTES
  jc .no_room
  mov [z_block_len], eax
  push ebx
  call xb_alloc_try
  pop ebx
  test eax, eax
  jz .no_room
  mov [z_block], eax
  mov [z_htop], esi
  mov [z_proc], ebp
  ; Lay it out: head zeroed (no position: zlib's NIL).
  mov [z_head], eax
  mov edi, eax
  mov ecx, HASH_SIZE
  xor eax, eax
  rep stosd
  mov [z_prev], edi
  add edi, PREV_BYTES
  mov [z_syms], edi
  mov [z_out], edi
  xor eax, eax
  mov [z_nsyms], eax
  mov [z_base], eax
  mov [z_strstart], eax
  mov [z_lookahead], eax
  mov [z_block_start], eax
  mov [z_match_start], eax
  mov [z_match_available], eax
  mov dword [z_match_length], MIN_MATCH - 1
  mov dword [z_prev_length], MIN_MATCH - 1
  test ebx, ebx
  jz .slow
  call deflate_fast
  jmp .made
.slow:
  call deflate_slow
.made:
  mov esi, [z_htop]
  mov ebp, [z_proc]
  ; The result: a binary of the units.
  mov ecx, [z_out]
  sub ecx, [z_syms]
  call xb_bin_words
  mov edx, [z_out]
  sub edx, [z_syms]
  mov ecx, 0                        ; no live x registers
  ENSURE_HEAP_BIN
  mov ecx, [z_out]
  sub ecx, [z_syms]
  call xb_bin_new                   ; eax = the binary, edx = its bytes
  mov [xb_xregs], eax
  push esi
  mov edi, edx
  mov esi, [z_syms]
  mov ecx, [z_out]
  sub ecx, esi
  rep movsb
  pop esi
  mov eax, [z_block]
  mov ecx, [z_block_len]
  call xb_free
  ret
.no_room:
  mov dword [xb_xregs], ATOM_false
  ret
.badarg:
  mov eax, ATOM_badarg
  jmp xb_raise_atom

;; fill_window — zlib's, once the input is all there: slide when the
;; position is past wsize + MAX_DIST of the window, then the lookahead is
;; what the window holds from the position.  clobbers eax.
fill_window:
  mov eax, [z_strstart]
  sub eax, [z_base]
  cmp eax, WSIZE + MAX_DIST
  jb .filled
  add dword [z_base], WSIZE
.filled:
  mov eax, [z_base]
  add eax, 2 * WSIZE
  cmp eax, [z_end]
  jbe .in_window
  mov eax, [z_end]
.in_window:
  sub eax, [z_strstart]
  mov [z_lookahead], eax
  ret

;; insert — zlib's INSERT_STRING: in: ecx = a position.  out: eax = the
;; hash chain's head before (0 for none).  clobbers edx, ebx.
insert:
  mov edx, [z_win]
  movzx eax, byte [edx + ecx]
  shl eax, 10
  movzx ebx, byte [edx + ecx + 1]
  shl ebx, 5
  xor eax, ebx
  movzx ebx, byte [edx + ecx + 2]
  xor eax, ebx
  and eax, HASH_SIZE - 1
  mov edx, [z_head]
  lea edx, [edx + 4 * eax]
  mov eax, [edx]
  mov [edx], ecx
  mov edx, ecx
  and edx, WMASK
  mov ebx, [z_prev]
  mov [ebx + 4 * edx], eax
  ret

;; emit — in: eax = a literal (0..255) or a match's first unit, ecx =
;; its distance (for a match).  out: ZF set when the block is full (zlib's
;; bflush).  clobbers edx.
emit:
  mov edx, [z_out]
  mov [edx], ax
  add edx, 2
  cmp eax, 256
  jb .one
  mov [edx], cx
  add edx, 2
.one:
  mov [z_out], edx
  inc dword [z_nsyms]
  cmp dword [z_nsyms], SYM_LIMIT
  ret

;; flush_block — in: eax = 2 for the last block, else 0.  The block's end;
;; the next starts here.  clobbers eax edx.
flush_block:
  or eax, BLOCK_END
  mov edx, [z_block_start]
  cmp edx, [z_base]
  jb .gone                          ; zlib: block_start < 0, no stored block
  or eax, 1
.gone:
  mov edx, [z_out]
  mov [edx], ax
  add edx, 2
  mov [z_out], edx
  mov dword [z_nsyms], 0
  mov eax, [z_strstart]
  mov [z_block_start], eax
  ret

;; longest_match — zlib's: in: eax = the chain's first position.  out: eax
;; = the longest match's length (no more than the lookahead), its start
;; in z_match_start when longer than prev_length.  clobbers all but esp.
longest_match:
  mov edx, [z_prev_length]          ; edx = best_len
  cmp edx, [z_lookahead]
  jae .done                         ; nothing longer fits (see the top)
  mov ecx, [z_lookahead]
  cmp ecx, MAX_MATCH
  jbe .end
  mov ecx, MAX_MATCH
.end:
  mov [lm_end], ecx
  mov ecx, [z_chain]
  cmp edx, [z_good]
  jb .chain
  shr ecx, 2
.chain:
  mov [lm_chain], ecx
  mov ecx, [z_nice]
  cmp ecx, [z_lookahead]
  jbe .nice
  mov ecx, [z_lookahead]
.nice:
  mov [lm_nice], ecx
  mov ecx, [z_strstart]
  sub ecx, MAX_DIST
  jb .base_limit
  cmp ecx, [z_base]
  jae .limit
.base_limit:
  mov ecx, [z_base]
.limit:
  mov [lm_limit], ecx
  mov edi, [z_win]
  mov esi, [z_strstart]
  add esi, edi                      ; esi = scan
  mov bl, [esi + edx - 1]           ; scan_end1
  mov bh, [esi + edx]               ; scan_end
.candidate:
  mov [lm_cur], eax
  lea ebp, [edi + eax]              ; ebp = match
  cmp bh, [ebp + edx]
  jne .next
  cmp bl, [ebp + edx - 1]
  jne .next
  mov al, [ebp]
  cmp al, [esi]
  jne .next
  mov al, [ebp + 1]
  cmp al, [esi + 1]
  jne .next
  ; The third bytes are equal (the hashes are); compare from the fourth.
  mov ecx, 3
.compare:
  cmp ecx, [lm_end]
  jae .length
  mov al, [esi + ecx]
  cmp al, [ebp + ecx]
  jne .length
  inc ecx
  jmp .compare
.length:                            ; ecx = len
  cmp ecx, edx
  jle .next
  mov eax, [lm_cur]
  mov [z_match_start], eax
  mov edx, ecx
  cmp ecx, [lm_nice]
  jge .done
  mov bl, [esi + edx - 1]
  mov bh, [esi + edx]
.next:
  mov eax, [lm_cur]
  and eax, WMASK
  mov ecx, [z_prev]
  mov eax, [ecx + 4 * eax]
  cmp eax, [lm_limit]
  jbe .done
  dec dword [lm_chain]
  jnz .candidate
.done:
  mov eax, edx
  cmp eax, [z_lookahead]
  jbe .ret
  mov eax, [z_lookahead]
.ret:
  ret

;; next_string — the top of both of zlib's loops: the window filled when
;; the lookahead is short, then the string at the position inserted (when
;; three bytes are left).  out: CF set when the input is done; else eax =
;; the hash chain's head before (0 for none).  clobbers ebx ecx edx.
next_string:
  cmp dword [z_lookahead], MIN_LOOKAHEAD
  jae .filled
  call fill_window
  cmp dword [z_lookahead], 0
  jne .filled
  stc
  ret
.filled:
  xor eax, eax
  cmp dword [z_lookahead], MIN_MATCH
  jb .none
  mov ecx, [z_strstart]
  call insert
.none:
  clc
  ret

;; deflate_slow — zlib's, levels 4-9: lazy evaluation of matches.
deflate_slow:
.loop:
  call next_string                  ; eax = hash_head
  jc .finish
  mov ecx, [z_match_length]
  mov [z_prev_length], ecx
  mov ecx, [z_match_start]
  mov [z_prev_match], ecx
  mov dword [z_match_length], MIN_MATCH - 1
  cmp eax, [z_base]                 ; NIL?
  jbe .searched
  mov ecx, [z_prev_length]
  cmp ecx, [z_lazy]
  jae .searched
  mov ecx, [z_strstart]
  sub ecx, eax
  cmp ecx, MAX_DIST
  ja .searched
  call longest_match
  mov [z_match_length], eax
  cmp eax, MIN_MATCH                ; a match of 3 too far back is none
  jne .searched
  mov ecx, [z_strstart]
  sub ecx, [z_match_start]
  cmp ecx, TOO_FAR
  jbe .searched
  mov dword [z_match_length], MIN_MATCH - 1
.searched:
  mov ecx, [z_prev_length]
  cmp ecx, MIN_MATCH
  jb .no_pair
  cmp [z_match_length], ecx
  ja .no_pair
  ; The previous match is better: out it goes, its strings inserted.
  mov eax, [z_strstart]
  add eax, [z_lookahead]
  sub eax, MIN_MATCH
  mov [z_max_insert], eax
  lea eax, [ecx + LENGTH_UNIT]
  mov ecx, [z_strstart]
  dec ecx
  sub ecx, [z_prev_match]
  call emit
  setz byte [z_bflush]
  mov ecx, [z_prev_length]
  dec ecx
  sub [z_lookahead], ecx
  dec ecx
  mov [z_count], ecx
.insert:
  mov ecx, [z_strstart]
  inc ecx
  mov [z_strstart], ecx
  cmp ecx, [z_max_insert]
  ja .inserted
  call insert
.inserted:
  dec dword [z_count]
  jnz .insert
  mov dword [z_match_available], 0
  mov dword [z_match_length], MIN_MATCH - 1
  inc dword [z_strstart]
  cmp byte [z_bflush], 0
  je .loop
  xor eax, eax
  call flush_block
  jmp .loop
.no_pair:
  cmp dword [z_match_available], 0
  je .first
  mov ecx, [z_strstart]             ; the byte before goes out as a literal
  mov edx, [z_win]
  movzx eax, byte [edx + ecx - 1]
  call emit
  jnz .literal_done
  xor eax, eax
  call flush_block
.literal_done:
  inc dword [z_strstart]
  dec dword [z_lookahead]
  jmp .loop
.first:
  mov dword [z_match_available], 1
  inc dword [z_strstart]
  dec dword [z_lookahead]
  jmp .loop
.finish:
  cmp dword [z_match_available], 0
  je .last
  mov ecx, [z_strstart]
  mov edx, [z_win]
  movzx eax, byte [edx + ecx - 1]
  call emit
.last:
  mov eax, 2
  jmp flush_block

;; deflate_fast — zlib's, levels 1-3: a match is taken as found; its
;; strings are inserted only when it is short.
deflate_fast:
.loop:
  call next_string
  jc .finish
  cmp eax, [z_base]
  jbe .searched
  mov ecx, [z_strstart]
  sub ecx, eax
  cmp ecx, MAX_DIST
  ja .searched
  call longest_match                ; prev_length stays MIN_MATCH - 1
  mov [z_match_length], eax
.searched:
  mov ecx, [z_match_length]
  cmp ecx, MIN_MATCH
  jb .literal
  lea eax, [ecx + LENGTH_UNIT]
  mov ecx, [z_strstart]
  sub ecx, [z_match_start]
  call emit
  setz byte [z_bflush]
  mov ecx, [z_match_length]
  sub [z_lookahead], ecx
  cmp ecx, [z_lazy]
  ja .skip
  cmp dword [z_lookahead], MIN_MATCH
  jb .skip
  dec ecx
  mov [z_count], ecx
.insert:
  mov ecx, [z_strstart]
  inc ecx
  mov [z_strstart], ecx
  call insert
  dec dword [z_count]
  jnz .insert
  inc dword [z_strstart]
  jmp .matched
.skip:
  add [z_strstart], ecx
.matched:
  mov dword [z_match_length], 0
  jmp .flush
.literal:
  mov ecx, [z_strstart]
  mov edx, [z_win]
  movzx eax, byte [edx + ecx]
  call emit
  setz byte [z_bflush]
  dec dword [z_lookahead]
  inc dword [z_strstart]
.flush:
  cmp byte [z_bflush], 0
  je .loop
  xor eax, eax
  call flush_block
  jmp .loop
.finish:
  mov eax, 2
  jmp flush_block
