; MOV SS with a not-present writable data segment is #SS(selector); type is checked first
; mode: pm32
; on-exception: resume
; gdt: 10=0x00cf12000000ffff 11=0x00cf92000000ffff 12=0x00cf10000000ffff
; expect: ss=0x58
; expect-exceptions: 12/0x50@l1 13/0x60@l2
;
; Slot 10 (0x50): read/write data, P = 0.  Slot 11 (0x58): read/write data, present.
; Slot 12 (0x60): read-only data, P = 0.
; SDM vol. 2 MOV: for SS, #GP(selector) if RPL != CPL, the segment is not writable data or
; DPL != CPL; then #SS(selector) if it is not present.
;   l1 SS <- 0x50 -> #SS(0x50)
;   l2 SS <- 0x60 -> #GP(0x60): not writable, reported before not-present
;   SS <- 0x58 loads.
    mov ax, 0x50
l1:
    mov ss, ax
    mov ax, 0x60
l2:
    mov ss, ax
    mov ax, 0x58
    mov ss, ax
