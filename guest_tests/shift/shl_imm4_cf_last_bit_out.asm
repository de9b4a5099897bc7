; SHL by an immediate 4: CF is the last bit shifted out (bit 28 of the source), SF ZF PF from the result
; mode: pm32
; regs: eax=0x12345678
; expect: eax=0x23456780 cf=1 sf=0 zf=0 pf=0
    shl eax, 4
