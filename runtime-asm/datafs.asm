; runtime-asm/datafs.asm — the image's read-only files, and the memory the
; runtime manages.
;
; In:  xb_data_files (image.asm, made by the loader from `--data-dir`):
;        dd count, then per file: dd name, bytes
;      where name and bytes each point to {dd length; db ...}.
;      plat_mem_start / plat_mem_end (xen-boot/).
; Out: the BIFs behind runtime-erl/xbeam_file.erl and memsup's stand-in:
;        xbeam:data_file_count() -> N
;        xbeam:data_file_name(I) -> binary (0 =< I < N)
;        xbeam:data_file_bytes(I) -> binary
;        xbeam:memory_kb() -> kilobytes between plat_mem_start and plat_mem_end
;        xbeam:cmdline() -> binary: the image's command line (plat_cmdline,
;          which has the same {dd length; db ...} shape)
;      A bad index raises badarg.  The binaries are heap binaries copied
;      into the caller's heap.
%include "macros.inc"

global xb_erl_data_file_count_0, xb_erl_data_file_name_1, xb_erl_data_file_bytes_1, xb_erl_memory_kb_0
global xb_xbeam_cmdline_0
extern xb_bin_vheap_full, xb_bin_words, xb_bin_new
extern xb_xregs, xb_gc, xb_raise_atom, xb_data_files, plat_mem_start, plat_mem_end, plat_cmdline

section .text

xb_erl_data_file_count_0:
  mov eax, [xb_data_files]
  TAG_SMALL_INT eax
  mov [xb_xregs], eax
  ret

xb_erl_memory_kb_0:
  mov eax, [plat_mem_end]
  sub eax, [plat_mem_start]
  shr eax, 10
  TAG_SMALL_INT eax
  mov [xb_xregs], eax
  ret

xb_erl_data_file_name_1:
  xor edx, edx                      ; the name: the first of the pair
  jmp file_field
xb_erl_data_file_bytes_1:
  mov edx, 4                        ; the bytes: the second
file_field:
  mov eax, [xb_xregs]
  mov ecx, eax
  and ecx, 0xf
  cmp ecx, TAG_SMALL
  jne .badarg
  UNTAG_SMALL eax
  cmp eax, [xb_data_files]          ; unsigned: a negative index is out too
  jae .badarg
  mov eax, [xb_data_files + 4 + 8 * eax + edx]
  jmp counted_binary
.badarg:
  mov eax, ATOM_badarg
  jmp xb_raise_atom

xb_xbeam_cmdline_0:
  mov eax, plat_cmdline
  ; falls through

;; counted_binary — in: eax = {dd length; db bytes}.  x0 = a binary of
;; the bytes (reference-counted past ON_HEAP_BIN_LIMIT of them).
counted_binary:
  mov [df_counted], eax
  mov ecx, [eax]
  call xb_bin_words
  mov edx, [df_counted]
  mov edx, [edx]
  mov ecx, 0                        ; no live x registers: the index is read
  ENSURE_HEAP_BIN
  mov edx, [df_counted]
  mov ecx, [edx]
  call xb_bin_new                   ; eax = the binary, edx = its bytes
  mov [xb_xregs], eax
  push esi
  mov edi, edx
  mov esi, [df_counted]
  mov ecx, [esi]
  add esi, 4
  rep movsb
  pop esi
  ret

section .bss
df_counted: resd 1
