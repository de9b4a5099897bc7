; 8-bit SBB 0x80 - 0 - CF(1) = 0x7f: signed overflow, borrow out of bit 3 (AF), no borrow out of bit 7
; mode: pm32
; regs: eax=0x00000080 ebx=0
; expect: al=0x7f cf=0 of=1 sf=0 zf=0 af=1 pf=0
    stc
    sbb al, bl
