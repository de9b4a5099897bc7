; SHR by 1: CF gets bit 0, OF gets the original MSB
; mode: pm32
; regs: eax=0x80000001
; expect: eax=0x40000000 cf=1 of=1 sf=0 zf=0 pf=1
    shr eax, 1
