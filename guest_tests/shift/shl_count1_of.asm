; SHL by 1: OF = MSB(result) XOR CF; 0x40000000 -> 0x80000000 gives CF=0, OF=1
; mode: pm32
; regs: eax=0x40000000
; expect: eax=0x80000000 cf=0 of=1 sf=1 zf=0 pf=1
    shl eax, 1
