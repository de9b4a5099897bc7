; LTR of a null selector (0, and 3 with an RPL) raises #GP(0) and leaves TR as it was
; mode: pm32
; on-exception: resume
; expect-exceptions: 13/0@first 13/0@second
; expect: ebx=0x28 ecx=0x28
; | SDM vol. 2 LTR, Operation: "IF SRC is a NULL selector THEN #GP(0)", before the
; | descriptor is read; Protected Mode Exceptions: #GP(0) "If the source operand
; | contains a NULL segment selector". A selector is null when bits 15:2 are 0, whatever
; | its RPL (vol. 3A 3.4.2). Nothing is loaded: STR still reads the runtime's TSS
; | selector, 0x28, after each.
    xor eax, eax
first:
    ltr ax
    str ebx
    mov ax, 3
second:
    ltr ax
    str ecx
