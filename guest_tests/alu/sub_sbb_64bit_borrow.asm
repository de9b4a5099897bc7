; SUB then SBB propagate a borrow across a 64-bit subtraction: 0x1_00000000 - 1
; mode: pm32
; regs: eax=0 edx=1
; expect: eax=0xffffffff edx=0 cf=0 zf=1 sf=0 of=0 af=0 pf=1
    sub eax, 1
    sbb edx, 0
