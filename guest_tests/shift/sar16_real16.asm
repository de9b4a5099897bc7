; SAR by 4 in real mode (16-bit operand): 0x8421 -> 0xf842, CF = bit 3
; mode: real16
; regs: eax=0x12348421
; expect: eax=0x1234f842 cf=0 sf=1 zf=0 pf=1
    sar ax, 4
