; XADD m32, r32: memory gets the sum, the register the old memory value; flags as for ADD
; mode: pm32
; regs: eax=1
; data: 0x18000 dd 0x7fffffff
; expect: mem32[0x18000]=0x80000000 eax=0x7fffffff cf=0 of=1 sf=1 zf=0 af=1 pf=1
    xadd dword ptr [0x18000], eax
