; CMP m32, imm8: -1 is sign-extended; 0x7fffffff - 0xffffffff borrows and overflows; memory is unchanged
; mode: pm32
; data: 0x18000 dd 0x7fffffff
; expect: mem32[0x18000]=0x7fffffff cf=1 of=1 sf=1 zf=0 af=0 pf=1
    cmp dword ptr [0x18000], -1
