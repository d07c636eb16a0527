; runtime-asm/print.asm — writing terms as erlang:display/1 does.
;
; In: a term.  Out: its text in a buffer, flushed to the console through
; plat_write (or plat_write_err for reports).  The format is erts' own
; (erts_printf's %T), which erl's erlang:display/1 uses:
;   - integers in decimal (bignums through xb_big_to_decimal, which
;     needs no heap); atoms as the loader precomputed them
;     (xb_atom_print: quoted where erts quotes them);
;   - a list of character codes in 9, 10, 13, 32..126, 160..255 as a
;     string, with " and newline escaped; other lists element by element;
;   - tuples in braces.
; Floats, binaries, funs and maps print once those types exist.
%include "macros.inc"
extern xb_stack_grow_keep

global xb_print_term, xb_print_flush, xb_print_bytes, xb_print_to_stderr, xb_print_to_stdout
global xb_erl_term_to_chars_1, xb_first_output_ns
extern xb_fun_info, xb_xregs, xb_gc
extern plat_write, plat_write_err, plat_since_entry_ns, xb_atom_print, xb_atom_print_init, xb_static_atoms, xb_fatal, xb_big_to_decimal
extern xb_float_format_e, xb_erl_display_1

BUF_SIZE equ 4096

section .bss
buf:      resb BUF_SIZE
buf_len:  resd 1
out_fn:   resd 1                    ; plat_write or plat_write_err
xb_first_output_ns: resd 2          ; plat_since_entry_ns at the first write to stdout (0: none yet)


tries:    resd 1                    ; [{Map, Trie}] while xbeam:display_tries/2 prints

section .rodata
hex_digits: db "0123456789abcdef"

section .text

xb_print_to_stdout:
  call xb_print_flush
  mov dword [out_fn], plat_write
  ret

xb_print_to_stderr:
  call xb_print_flush
  mov dword [out_fn], plat_write_err
  ret

;; pid_to_list/1, ref_to_list/1, fun_to_list/1, port_to_list/1: the term
;; as erlang:display/1 prints it, as a list of characters.  The printer
;; writes into `buf` as usual (at most BUF_SIZE bytes: these are short);
;; the list is built from it instead of writing it out.
xb_erl_term_to_chars_1:
  call xb_print_flush
  mov eax, [xb_xregs]
  call print
  mov eax, [buf_len]
  shl eax, 1
  mov ecx, 1
  ENSURE_HEAP
  mov ecx, [buf_len]
  mov edx, NIL
.char:                              ; the list from its end
  dec ecx
  js .built
  movzx eax, byte [buf + ecx]
  TAG_SMALL_INT eax
  CONS eax
  jmp .char
.built:
  mov dword [buf_len], 0
  mov [xb_xregs], edx
  ret

;; xb_print_flush — writes out the buffer.  Preserves all registers.
xb_print_flush:
  pushad
  mov ecx, [buf_len]
  test ecx, ecx
  jz .done
  mov eax, [out_fn]
  test eax, eax
  jnz .have_fn
  mov eax, plat_write
.have_fn:
  cmp eax, plat_write               ; the first bytes to stdout: when, for
  jne .write                        ; the boot benchmark (xbeam:first_output/1)
  cmp dword [xb_first_output_ns], 0
  jne .write
  push ecx
  call plat_since_entry_ns
  or eax, 1                         ; never 0 again
  mov [xb_first_output_ns], eax
  mov [xb_first_output_ns + 4], edx
  pop ecx
  mov eax, plat_write
.write:
  push ecx
  push buf
  call eax
  add esp, 8
  mov dword [buf_len], 0
.done:
  popad
  ret

;; put_byte — in: al.  Preserves all registers but flags.
put_byte:
  push ecx
  mov ecx, [buf_len]
  cmp ecx, BUF_SIZE
  jb .room
  call xb_print_flush
  xor ecx, ecx
.room:
  mov [buf + ecx], al
  inc ecx
  mov [buf_len], ecx
  pop ecx
  ret

;; xb_print_bytes — in: eax = address, ecx = length.  Preserves all but flags.
xb_print_bytes:
  push eax
  push ecx
  push edx
  mov edx, eax
.next:
  test ecx, ecx
  jz .done
  mov al, [edx]
  call put_byte
  inc edx
  dec ecx
  jmp .next
.done:
  pop edx
  pop ecx
  pop eax
  ret

%macro PUT 1
  push eax
  mov al, %1
  call put_byte
  pop eax
%endmacro

;; put_decimal — in: eax = signed 32-bit value.  Clobbers eax ecx edx.
put_decimal:
  test eax, eax
  jns .positive
  PUT '-'
  neg eax
.positive:
  xor ecx, ecx                      ; digits pushed
.divide:
  xor edx, edx
  push ebx
  mov ebx, 10
  div ebx
  pop ebx
  add dl, '0'
  push edx
  inc ecx
  test eax, eax
  jnz .divide
;; emit_pushed — writes the ecx digits pushed last, the last pushed first.
emit_pushed:
  pop eax
  call put_byte
  loop emit_pushed
  ret

;; put_nine — in: eax < 10^9.  Writes it as exactly nine digits (a base-10^9
;; digit of a bignum that is not its first).  Clobbers eax ecx edx.
put_nine:
  push ebx
  mov ebx, 10
  mov ecx, 9
.divide:
  xor edx, edx
  div ebx
  add dl, '0'
  push edx
  loop .divide
  mov ecx, 9
.emit:
  pop eax
  call put_byte
  loop .emit
  pop ebx
  ret

;; print_bignum — in: eax = a bignum.  Its base-10^9 digits, the first as
;; it is, the others padded to nine decimal digits.  Clobbers eax ebx ecx
;; edx edi.
print_bignum:
  call xb_big_to_decimal            ; edx = digits (least significant first), ecx = count
  test eax, eax
  jz .positive
  PUT '-'
.positive:
  lea edi, [edx + 4 * ecx - 4]      ; the most significant
  mov ebx, ecx
  mov eax, [edi]
  call put_decimal
.next:
  dec ebx
  jz .done
  sub edi, 4
  mov eax, [edi]
  call put_nine
  jmp .next
.done:
  ret

;; xb_print_term — in: eax = term.  Preserves all registers.
xb_print_term:
  pushad
  call print
  popad
  ret

;; print — in: eax = term.  Clobbers eax ebx ecx edx edi.  Recursive.
print:
  STACK_CHECK
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_LIST
  je print_list
  cmp ecx, TAG_BOXED
  je print_boxed
  mov ecx, eax
  and ecx, TAG_IMMED1_MASK
  cmp ecx, TAG_SMALL
  jne .not_small
  UNTAG_SMALL eax
  jmp put_decimal
.not_small:
  mov ecx, eax
  and ecx, TAG_IMMED2_MASK
  cmp ecx, TAG_ATOM
  jne .not_atom
  shr eax, ATOM_SHIFT
  ATOM_PRINT eax, eax               ; -> dd length, then the bytes
  mov ecx, [eax]
  add eax, 4
  jmp xb_print_bytes
.not_atom:
  cmp eax, NIL
  jne .not_nil
  PUT '['
  PUT ']'
  ret
.not_nil:
  mov ecx, eax
  and ecx, TAG_IMMED1_MASK
  cmp ecx, TAG_PORT
  je print_port
  cmp ecx, TAG_PID
  jne unsupported
  shr eax, PID_SHIFT                ; <0.Number.Serial>: 15 bits of number
  push eax
  PUT '<'
  PUT '0'
  PUT '.'
  mov eax, [esp]
  and eax, 0x7fff
  call put_decimal
  PUT '.'
  pop eax
  shr eax, 15
  call put_decimal
  PUT '>'
  ret

;; print_port — in: eax = a port (list_to_port/1 makes them; an image
;; opens none).  #Port<0.Number>
print_port:
  shr eax, PID_SHIFT
  push eax
  mov eax, t_port + 4
  mov ecx, [t_port]
  call xb_print_bytes
  PUT '.'
  pop eax
  call put_decimal
  PUT '>'
  ret

;; print_ref — in: edi = the reference's header.  #Ref<0.W2.W1.W0>, or
;; #Ref<1.W2.W1.W0> for another node's (BEAM writes the number of that
;; node's connection there; xbeam has none).
print_ref:
  mov eax, t_ref + 4
  mov ecx, [t_ref]
  call xb_print_bytes
  cmp dword [edi], EXTERNAL_REF_HEADER
  jne .this_node
  PUT '1'
  jmp .words
.this_node:
  PUT '0'
.words:
  mov ebx, 3
.word:
  PUT '.'
  mov eax, [edi + 4 * ebx]
  call put_unsigned
  dec ebx
  jnz .word
  PUT '>'
  ret

;; print_export — in: edi = the header of {EXPORT, M, small(A), F}.
;; fun M:F/A, atoms as printed.
print_export:
  mov eax, t_fun + 4
  mov ecx, [t_fun]
  call xb_print_bytes
  mov eax, [edi + 4]
  push edi
  call print
  pop edi
  PUT ':'
  mov eax, [edi + 12]
  push edi
  call print
  pop edi
  PUT '/'
  mov eax, [edi + 8]
  jmp print

;; print_fun — in: edi = a fun's header.  #Fun<Module.OldIndex.OldUniq>,
;; from xb_fun_info (the loader's: 6 words per fun, these the first 3).
print_fun:
  mov eax, t_fun_open + 4
  mov ecx, [t_fun_open]
  call xb_print_bytes
  mov ebx, [edi + 4]
  sar ebx, SMALL_SHIFT
  lea ebx, [ebx + 2 * ebx]
  lea ebx, [xb_fun_info + 8 * ebx]
  mov eax, [ebx]
  push ebx
  call print                        ; the module (an atom)
  pop ebx
  PUT '.'
  mov eax, [ebx + 4]
  call put_unsigned
  PUT '.'
  mov eax, [ebx + 8]
  call put_unsigned
  PUT '>'
  ret

;; put_unsigned — in: eax = an unsigned 32-bit value.  Clobbers eax ecx edx.
put_unsigned:
  test eax, eax
  jns put_decimal
  xor edx, edx                      ; above 2^31: the leading digits, then the last
  mov ecx, 10
  div ecx
  push edx
  call put_decimal
  pop eax
  jmp put_decimal

;; print_float — in: edi = the float's header.  As C's "%.6e" (float.asm).
print_float:
  lea eax, [edi + 4]
  call xb_float_format_e
  jmp xb_print_bytes

print_boxed:
  lea edi, [eax - TAG_BOXED]
  mov ecx, [edi]
  mov edx, ecx
  and edx, HDR_SUBTAG_MASK
  cmp edx, HDR_POS_BIG
  je print_bignum
  cmp edx, HDR_NEG_BIG
  je print_bignum
  cmp edx, HDR_REF
  je print_ref
  cmp edx, HDR_EXPORT
  je print_export
  cmp edx, HDR_FUN
  je print_fun
  cmp edx, HDR_HEAP_BIN
  je print_binary
  cmp edx, HDR_REFC_BIN
  je print_binary
  cmp edx, HDR_HEAP_BITS
  je print_bits
  cmp edx, HDR_REFC_BITS
  je print_bits
  cmp edx, HDR_MAP
  je print_map
  cmp edx, HDR_FLOAT
  je print_float
  cmp edx, HDR_ARITYVAL
  jne unsupported
  mov edx, print                    ; a tuple
  jmp print_elements

;; print_elements — in: edi = a tuple's header, edx = the routine that
;; prints an element (in eax; it may clobber eax ebx ecx edx edi).  Writes
;; {E1,E2,...}.  Clobbers eax ebx ecx edx edi.
print_elements:
  mov ecx, [edi]
  shr ecx, HDR_ARITY_SHIFT
  PUT '{'
  xor ebx, ebx
.element:
  cmp ebx, ecx
  jae .close
  test ebx, ebx
  jz .first
  PUT ','
.first:
  push ebx
  push ecx
  push edi
  push edx
  mov eax, [edi + 4 + 4 * ebx]
  call edx
  pop edx
  pop edi
  pop ecx
  pop ebx
  inc ebx
  jmp .element
.close:
  PUT '}'
  ret

;; A binary as BEAM's display shows it: <<"text">> when every byte is
;; printable ASCII (a quote escaped), else the bytes in decimal.
print_binary:
  mov ecx, [edi + 4]                ; the byte count
  BYTES_ADDR ebx, edi
  test ecx, ecx
  jz .numbers
  xor edx, edx
.scan:
  mov al, [ebx + edx]
  cmp al, ' '
  jb .numbers
  cmp al, 127
  jae .numbers
  inc edx
  cmp edx, ecx
  jb .scan
  PUT '<'
  PUT '<'
  PUT '"'
  xor edx, edx
.char:
  mov al, [ebx + edx]
  cmp al, '"'
  jne .plain
  PUT 0x5c
.plain:
  call put_byte
  inc edx
  cmp edx, ecx
  jb .char
  PUT '"'
  jmp .close
.numbers:
  PUT '<'
  PUT '<'
  xor edx, edx
.number:
  cmp edx, ecx
  jae .close
  test edx, edx
  jz .first
  PUT ','
.first:
  push ecx
  push edx
  movzx eax, byte [ebx + edx]
  call put_decimal
  pop edx
  pop ecx
  inc edx
  jmp .number
.close:
  PUT '>'
  PUT '>'
  ret

;; A bitstring of a size that is no whole number of bytes: the bytes in
;; decimal, then the last bits as Value:Bits, e.g. <<1,2:3>>.
print_bits:
  PUT '<'
  PUT '<'
  mov ecx, [edi + 4]
  shr ecx, 3
  BYTES_ADDR ebx, edi
  xor edx, edx
.byte:
  cmp edx, ecx
  jae .last
  push ecx
  push edx
  movzx eax, byte [ebx + edx]
  call put_decimal
  pop edx
  pop ecx
  PUT ','
  inc edx
  jmp .byte
.last:
  mov ecx, [edi + 4]
  and ecx, 7
  push ecx
  movzx eax, byte [ebx + edx]
  neg ecx
  add ecx, 8
  shr eax, cl
  call put_decimal
  PUT ':'
  pop eax
  call put_decimal
  PUT '>'
  PUT '>'
  ret

;; A map: #{K=>V,...} in its key order (flatmaps: {hdr, size, keys tuple, values}).
;; Above 32 keys erts prints its hash trie instead: the trie of this very
;; map (the same word) when xbeam:display_tries/2 listed it.
print_map:
  mov ecx, [edi + 4]
  cmp ecx, (32 << SMALL_SHIFT) | TAG_SMALL
  jle .flat
  mov edx, [tries]
.find:
  mov ecx, edx
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_LIST
  jne .flat
  mov ecx, [edx - TAG_LIST]         ; {Map, Trie}
  cmp [ecx - TAG_BOXED + 4], eax
  je .trie
  mov edx, [edx - TAG_LIST + 4]
  jmp .find
.trie:
  PUT '#'
  mov eax, [ecx - TAG_BOXED + 8]
  jmp print_trie
.flat:
  PUT '#'
  PUT '{'
  mov ecx, [edi + 4]
  UNTAG_SMALL ecx
  xor ebx, ebx
.pair:
  cmp ebx, ecx
  jae .close
  test ebx, ebx
  jz .first
  PUT ','
.first:
  push ebx
  push ecx
  push edi
  mov eax, [edi + 8]                ; the keys' tuple
  mov eax, [eax - TAG_BOXED + 4 + 4 * ebx]
  call print
  PUT '='
  PUT '>'
  mov edi, [esp]
  mov ebx, [esp + 8]
  mov eax, [edi + 12 + 4 * ebx]
  call print
  pop edi
  pop ecx
  pop ebx
  inc ebx
  jmp .pair
.close:
  PUT '}'
  ret

;; print_trie — in: eax = {Bitmap, Children}, a node of a map's hash trie
;; as runtime-erl/xbeam_maps.erl made it: <Bitmap in hex>{Child,...}, a
;; child a node or a [Key|Value] cell (printed as the list it is, as erts
;; does).  Clobbers eax ebx ecx edx edi.
print_trie:
  STACK_CHECK
  lea edi, [eax - TAG_BOXED]
  PUT '<'
  mov eax, [edi + 4]
  UNTAG_SMALL eax
  call put_hex
  PUT '>'
  mov edi, [edi + 8]                ; the children's tuple
  sub edi, TAG_BOXED
  mov edx, print_child
  jmp print_elements

print_child:
  mov edx, eax
  and edx, TAG_PRIMARY_MASK
  cmp edx, TAG_BOXED
  je print_trie                     ; a node
  jmp print                         ; a leaf

;; put_hex — in: eax = an unsigned value.  Its lower-case hex digits, no
;; leading zeros.  Clobbers eax ecx edx.
put_hex:
  xor ecx, ecx
.divide:
  mov edx, eax
  and edx, 15
  mov dl, [hex_digits + edx]
  push edx
  inc ecx
  shr eax, 4
  jnz .divide
  jmp emit_pushed

;; xbeam:display_tries(Term, Tries) — erlang:display/1 of Term, each of its
;; maps above 32 keys printed as the trie Tries pairs it with.
global xb_display_tries_2
xb_display_tries_2:
  mov eax, [xb_xregs + 4]
  mov [tries], eax
  call xb_erl_display_1
  mov dword [tries], NIL
  ret

print_list:
  push eax
  call is_printable_string
  pop eax
  jnc .elements
  PUT '"'
.char:
  cmp eax, NIL
  je .close_string
  lea edi, [eax - TAG_LIST]
  mov eax, [edi]
  UNTAG_SMALL eax
  cmp al, '"'
  jne .not_quote
  PUT 0x5c
  jmp .plain
.not_quote:
  cmp al, 10
  jne .plain
  PUT 0x5c
  mov al, 'n'
.plain:
  call put_byte
  mov eax, [edi + 4]
  jmp .char
.close_string:
  PUT '"'
  ret

.elements:
  PUT '['
.element:
  lea edi, [eax - TAG_LIST]
  push edi
  mov eax, [edi]
  call print
  pop edi
  mov eax, [edi + 4]
  cmp eax, NIL
  je .close
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_LIST
  jne .improper
  PUT ','
  jmp .element
.improper:
  PUT '|'
  call print
.close:
  PUT ']'
  ret

;; is_printable_string — in: eax = a non-empty list.  out: CF set when it
;; prints as a string.  Clobbers eax ecx edx.
is_printable_string:
.next:
  cmp eax, NIL
  je .yes
  mov ecx, eax
  and ecx, TAG_PRIMARY_MASK
  cmp ecx, TAG_LIST
  jne .no
  mov edx, [eax - TAG_LIST]
  mov ecx, edx
  and ecx, TAG_IMMED1_MASK
  cmp ecx, TAG_SMALL
  jne .no
  sar edx, SMALL_SHIFT
  cmp edx, 9
  je .ok
  cmp edx, 10
  je .ok
  cmp edx, 13
  je .ok
  cmp edx, 32
  jb .no
  cmp edx, 126
  jbe .ok
  cmp edx, 160
  jb .no
  cmp edx, 255
  ja .no
.ok:
  mov eax, [eax - TAG_LIST + 4]
  jmp .next
.yes:
  stc
  ret
.no:
  clc
  ret

unsupported:
  call xb_print_flush
  mov eax, msg_unsupported
  mov edx, msg_unsupported_len
  jmp xb_fatal

section .rodata
msg_unsupported: db 10, "xbeam: printing this kind of term is not supported yet", 10
msg_unsupported_len equ $ - msg_unsupported
align 4
t_ref: dd 5
  db "#Ref<"
align 4
t_port: dd 7
  db "#Port<0"
align 4
t_fun: dd 4
  db "fun "
align 4
t_fun_open: dd 5
  db "#Fun<"
