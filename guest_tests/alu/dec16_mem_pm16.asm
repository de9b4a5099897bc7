; DEC of a memory word in 16-bit protected mode: 0x8000 - 1 overflows, borrows out of bit 3, CF kept clear
; mode: pm16
; regs: eflags=0x2
; data: 0x18000 dw 0x8000 0x1234
; expect: mem16[0x18000]=0x7fff mem16[0x18002]=0x1234 cf=0 of=1 sf=0 zf=0 af=1 pf=1
    dec word ptr [0x8000]
