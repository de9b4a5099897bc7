; MOV SS needs RPL = CPL, a writable data segment and DPL = CPL, else #GP(selector)
; mode: pm32
; on-exception: resume
; gdt: 10=0x00cf90000000ffff 11=0x00cf96000000ffff
; expect: ss=0x58 esp=0x1fff0
; expect-exceptions: 13/0x10@l1 13/0x20@l2 13/0x20@l3 13/0x50@l4 13/0x08@l5
;
; Slot 10 (0x50): read-only data, DPL 0.  Slot 11 (0x58): read/write expand-down data,
; DPL 0, limit 0xfff, G = 0, B = 1 (valid offsets 0x1000-0xffffffff).
; SDM vol. 2 MOV, SS loads at CPL 0:
;   l1 0x13 RPL 3 != CPL          -> #GP(0x10)
;   l2 0x23 RPL 3 != CPL          -> #GP(0x20)
;   l3 0x20 RPL 0 but DPL 3 != CPL -> #GP(0x20)
;   l4 0x50 read-only data        -> #GP(0x50)
;   l5 0x08 code                  -> #GP(0x08)
;   0x58 writable (expand-down) data -> loads; ESP 0x1fff0 is a valid offset in it
    mov ax, 0x13
l1:
    mov ss, ax
    mov ax, 0x23
l2:
    mov ss, ax
    mov ax, 0x20
l3:
    mov ss, ax
    mov ax, 0x50
l4:
    mov ss, ax
    mov ax, 0x08
l5:
    mov ss, ax
    mov ax, 0x58
    mov ss, ax
