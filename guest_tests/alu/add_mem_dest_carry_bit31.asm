; ADD to a memory dword from a register: carry out of bit 31 without signed overflow (neg + pos)
; mode: pm32
; regs: eax=0x00000011
; data: 0x18000 dd 0xfffffff0
; expect: mem32[0x18000]=0x00000001 eax=0x11 cf=1 of=0 sf=0 zf=0 af=0 pf=0
    add dword ptr [0x18000], eax
