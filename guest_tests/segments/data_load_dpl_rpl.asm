; Data segment loads at CPL 0: max(CPL, RPL) must not exceed the descriptor's DPL
; mode: pm32
; on-exception: resume
; gdt: 10=0x00cfb2000000ffff
; expect: ds=0x23 es=0x22 fs=0x51 gs=0x10
; expect-exceptions: 13/0x10@l1 13/0x50@l2 13/0x50@l3
;
; Slot 10 (0x50): read/write data with DPL 1.
; SDM vol. 2 MOV: #GP(selector) if the segment is data or non-conforming code and
; RPL > DPL or CPL > DPL.  CPL = 0 here.
;   l1 DS <- 0x13: DPL 0, RPL 3                  -> #GP(0x10)
;   DS <- 0x23: DPL 3, RPL 3                      -> loads
;   ES <- 0x22: DPL 3, RPL 2                      -> loads
;   l2 FS <- 0x52: DPL 1, RPL 2                  -> #GP(0x50)
;   l3 GS <- 0x53: DPL 1, RPL 3                  -> #GP(0x50)
;   FS <- 0x51: DPL 1, RPL 1                      -> loads
    mov ax, 0x13
l1:
    mov ds, ax
    mov ax, 0x23
    mov ds, ax
    mov ax, 0x22
    mov es, ax
    mov ax, 0x52
l2:
    mov fs, ax
    mov ax, 0x53
l3:
    mov gs, ax
    mov ax, 0x51
    mov fs, ax
