; runtime-asm/refc.asm — reference-counted binaries: binaries of more than
; ON_HEAP_BIN_LIMIT bytes live outside every heap, in a block shared by
; reference count; a heap holds a ProcBin for each (docs/abi.md,
; "Binaries").
;
;   ProcBin (on a heap): {PROCBIN_HEADER, byte size, next, Binary, bytes, flags}
;                        (header(REFC_BITS, 5) and the size in bits for a
;                        bitstring that is not whole bytes)
;   Binary (xb_alloc):   {refc, bits in use, bytes asked, bytes of room, the bytes...}
;
; A ProcBin's bytes may start past the Binary's (a part of it, shared: a
; BEAM sub-binary's job).  Appends grow a binary in place when its ProcBin
; is PB_WRITABLE, starts where the Binary does and has all the bits in
; use, and the room suffices (bits.asm's grow_in_place).
;
; A heap's ProcBins are chained through their next fields from P_MSO.  A
; collection (gc.asm) chains the ones it copies afresh and releases the
; others; a message copy (process.asm) adds a reference; a process that
; ends releases its chain.  The bytes are followed by at least 8 zero
; bytes, as a heap binary is followed by more heap: readers may load a
; word past a field.
%include "macros.inc"

global xb_refc_new, xb_refc_slice, xb_refc_release, xb_refc_release_chain, xb_refc_adopt
global xb_bin_vheap_full, xb_bin_words, xb_bin_new, xb_procbin_info_1, xb_mso_info_1
extern xb_alloc_try, xb_free, xb_heap_limit, xb_xregs, xb_gc, xb_raise_atom
extern xb_bitstring_data, xb_process_lookup

section .text

;; xb_refc_new — a new reference-counted binary (bitstring) of ecx bits
;; (more than ON_HEAP_BIN_LIMIT bytes of them), with room for edx bytes
;; (at least its bytes; more for a binary that appends will grow), its
;; ProcBin at HTOP (PB_WORDS words of room made).  The bytes from the last
;; whole word of it up to the room's end and 8 more are zero; the rest is
;; the caller's to write.
;;   out: eax = the binary, edx = its bytes; HTOP past the ProcBin.
;;   clobbers ecx.  When memory cannot hold it, the process dies.
xb_refc_new:
  push ebx
  push edi
  push ecx
  push edx
  lea eax, [edx + BB_DATA + 8 + 3]
  and eax, ~3
  mov ebx, eax                      ; ebx = bytes asked
  call xb_alloc_try
  test eax, eax
  jz .no_memory
  mov edi, eax
  mov dword [edi + BB_REFC], 1
  mov ecx, [esp + 4]
  mov [edi + BB_SIZE], ecx
  mov [edi + BB_ALLOC], ebx
  mov ecx, [esp]
  mov [edi + BB_ROOM], ecx
  mov ecx, [esp + 4]
  ; Zero from the word that holds the last byte to the block's end.
  push edi
  shr ecx, 5
  shl ecx, 2
  lea edi, [edi + BB_DATA + ecx]
  neg ecx
  lea ecx, [ecx + ebx - BB_DATA]    ; (bytes asked are whole words)
  shr ecx, 2
  xor eax, eax
  rep stosd
  pop edi
  ; The ProcBin, first in the heap's chain.
  mov ecx, [esp + 4]
  mov dword [esi], PROCBIN_HEADER
  test ecx, 7
  jz .bytes
  mov dword [esi], PROCBIN_HEADER | HDR_REFC_BITS
  mov [esi + PB_SIZE], ecx
  add ecx, 7
  shr ecx, 3
  jmp .sized
.bytes:
  shr ecx, 3
  mov [esi + PB_SIZE], ecx
.sized:
  add [ebp + P_BIN_VHEAP], ecx
  mov eax, [ebp + P_MSO]
  mov [esi + PB_NEXT], eax
  mov [ebp + P_MSO], esi
  mov [esi + PB_VAL], edi
  lea edx, [edi + BB_DATA]
  mov [esi + PB_BYTES], edx
  mov dword [esi + PB_FLAGS], 0
  lea eax, [esi + TAG_BOXED]
  add esi, 4 * PB_WORDS
  add esp, 8
  pop edi
  pop ebx
  ret
.no_memory:
  mov eax, [esp]                    ; the process dies of it (not the VM)
  shr eax, 2
  jmp xb_heap_limit

;; xb_refc_slice — a ProcBin for ecx bytes from byte edx of the
;; reference-counted binary eax (its bytes shared: one more reference), at
;; HTOP (PB_WORDS words of room made).  out: eax = the part; HTOP past it.
;; clobbers ecx edx.
xb_refc_slice:
  push ebx
  mov ebx, [eax - TAG_BOXED + PB_VAL]
  inc dword [ebx + BB_REFC]
  mov [esi + PB_VAL], ebx
  add edx, [eax - TAG_BOXED + PB_BYTES]
  mov [esi + PB_BYTES], edx
  mov dword [esi], PROCBIN_HEADER
  mov [esi + PB_SIZE], ecx
  add [ebp + P_BIN_VHEAP], ecx
  mov dword [esi + PB_FLAGS], 0
  mov ecx, [ebp + P_MSO]
  mov [esi + PB_NEXT], ecx
  mov [ebp + P_MSO], esi
  lea eax, [esi + TAG_BOXED]
  add esi, 4 * PB_WORDS
  pop ebx
  ret

;; xb_refc_adopt — a ProcBin just copied into a process's heap (a message,
;; a spawn's arguments): one more reference to its Binary, and the ProcBin
;; first in that heap's chain.  in: ebx = the copy, edx = the process.
;; (A block outside every heap chains its ProcBins itself: process.asm's
;; xb_copy_to_lasting_block.)  clobbers ecx.
xb_refc_adopt:
  mov ecx, [ebx + PB_VAL]
  inc dword [ecx + BB_REFC]
  and dword [ebx + PB_FLAGS], ~PB_WRITABLE  ; shared: no appends in place
  mov ecx, [edx + P_MSO]
  mov [ebx + PB_NEXT], ecx
  mov [edx + P_MSO], ebx
  mov ecx, [ebx + PB_SIZE]            ; (bits, for REFC_BITS: counted high)
  add [edx + P_BIN_VHEAP], ecx
  ret

;; xb_refc_release — in: eax = a Binary block.  One reference fewer; the
;; last frees it.  clobbers eax ecx.
xb_refc_release:
  dec dword [eax + BB_REFC]
  jnz .done
  mov ecx, [eax + BB_ALLOC]
  jmp xb_free
.done:
  ret

;; xb_refc_release_chain — in: eax = a ProcBin chain (P_MSO of a heap
;; being dropped).  Releases every Binary on it.  clobbers eax ecx edx.
xb_refc_release_chain:
.next:
  test eax, eax
  jz .done
  mov edx, [eax + PB_NEXT]
  mov eax, [eax + PB_VAL]
  call xb_refc_release
  mov eax, edx
  jmp .next
.done:
  ret

;; xb_bin_vheap_full — in: edx = the bytes of a binary about to be made.
;; out: CF set when it is reference-counted and would take the process
;; past its binary allowance, so that the caller collects first (as a
;; full heap would).  clobbers nothing.
xb_bin_vheap_full:
  cmp edx, ON_HEAP_BIN_LIMIT
  jbe .no
  push edx
  add edx, [ebp + P_BIN_VHEAP]
  jc .yes
  cmp edx, [ebp + P_BIN_VLIMIT]
  ja .yes
  pop edx
.no:
  clc
  ret
.yes:
  pop edx
  stc
  ret

;; xb_bin_words — in: ecx = bytes.  out: eax = the heap words a binary of
;; that many bytes takes: a heap binary's, or a ProcBin's.
xb_bin_words:
  mov eax, PB_WORDS
  cmp ecx, ON_HEAP_BIN_LIMIT
  ja .done
  lea eax, [ecx + 3]
  shr eax, 2
  add eax, 2
.done:
  ret

;; xb_bin_new — a binary of ecx bytes, on the heap or reference-counted
;; by its size (xb_bin_words of room made).  out: eax = the binary, edx =
;; its bytes for the caller to write (the last word's padding zeroed);
;; HTOP past it.  clobbers ecx.
xb_bin_new:
  cmp ecx, ON_HEAP_BIN_LIMIT
  ja .refc
  HEAP_BIN_HEADER eax
  lea edx, [esi + 8]
  lea eax, [esi + TAG_BOXED]
  add ecx, 3
  shr ecx, 2
  lea esi, [esi + 4 * ecx + 8]
  ret
.refc:
  mov edx, ecx
  shl ecx, 3
  jmp xb_refc_new

; ---------------------------------------------------------------------------
; Introspection, for runtime-erl/xbeam_bifs.erl: erts_debug's binary_info,
; process_info(Pid, binary) and binary:referenced_byte_size/1.  Both answer
; with a binary of 32-bit little-endian numbers, which Erlang takes apart.

;; xbeam:procbin_info(Bitstring) — <<>> for one on the heap; for a ProcBin,
;; 20 bytes: its bytes, its Binary's bytes of room, its flags, the Binary's
;; references and the Binary's address.  badarg for anything else.
xb_procbin_info_1:
  mov eax, [xb_xregs]
  call xb_bitstring_data
  jc .badarg
  mov eax, 7                        ; a heap binary of 20 bytes
  mov ecx, 1
  ENSURE_HEAP
  mov eax, [xb_xregs]
  mov ecx, [eax - TAG_BOXED]
  PROCBIN_JUMP ecx, .procbin
  mov dword [esi], (1 << HDR_ARITY_SHIFT) | HDR_HEAP_BIN
  mov dword [esi + 4], 0
  lea eax, [esi + TAG_BOXED]
  add esi, 8
  mov [xb_xregs], eax
  ret
.procbin:
  mov dword [esi], (6 << HDR_ARITY_SHIFT) | HDR_HEAP_BIN
  mov dword [esi + 4], 20
  mov edx, [eax - TAG_BOXED + PB_SIZE]
  mov ecx, [eax - TAG_BOXED]
  and ecx, HDR_SUBTAG_MASK
  cmp ecx, HDR_REFC_BITS
  jne .bytes
  add edx, 7                        ; (bits: the bytes that hold them)
  shr edx, 3
.bytes:
  mov [esi + 8], edx
  mov edx, [eax - TAG_BOXED + PB_VAL]
  mov ecx, [edx + BB_ROOM]
  mov [esi + 12], ecx
  mov ecx, [eax - TAG_BOXED + PB_FLAGS]
  mov [esi + 16], ecx
  mov ecx, [edx + BB_REFC]
  mov [esi + 20], ecx
  mov [esi + 24], edx
  lea eax, [esi + TAG_BOXED]
  add esi, 28
  mov [xb_xregs], eax
  ret
.badarg:
  mov eax, ATOM_badarg
  jmp xb_raise_atom

;; xbeam:mso_info(Pid) — for each ProcBin of the process's heap, newest
;; first, 12 bytes: its Binary's address, bytes of room and references;
;; badarg when there is no such process.
xb_mso_info_1:
  call chain_count
  jc xb_procbin_info_1.badarg
  lea ecx, [eax + 2 * eax]
  shl ecx, 2
  mov edx, ecx
  call xb_bin_words
  mov ecx, 1
  ENSURE_HEAP_BIN                   ; (a collection of our own heap may
  call chain_count                  ; shorten the chain: count again)
  jc xb_procbin_info_1.badarg
  push dword [edx + P_MSO]          ; (raw, on the stack: no collection now)
  lea ecx, [eax + 2 * eax]
  shl ecx, 2
  call xb_bin_new                   ; (the first of our chain now, if ours)
  mov [xb_xregs], eax
  pop eax
.entry:
  test eax, eax
  jz .done
  mov ecx, [eax + PB_VAL]
  mov [edx], ecx
  mov ebx, [ecx + BB_ROOM]
  mov [edx + 4], ebx
  mov ebx, [ecx + BB_REFC]
  mov [edx + 8], ebx
  add edx, 12
  mov eax, [eax + PB_NEXT]
  jmp .entry
.done:
  ret

;; chain_count — in: x0 = a pid.  out: CF clear, edx = its process, eax =
;; the ProcBins on its chain; CF set when there is no such process.
chain_count:
  mov eax, [xb_xregs]
  mov edx, eax
  and edx, TAG_IMMED1_MASK
  cmp edx, TAG_PID
  jne .none
  call xb_process_lookup
  test eax, eax
  jz .none
  mov edx, eax
  xor eax, eax
  mov ecx, [edx + P_MSO]
.count:
  test ecx, ecx
  jz .counted
  inc eax
  mov ecx, [ecx + PB_NEXT]
  jmp .count
.counted:
  clc
  ret
.none:
  stc
  ret
