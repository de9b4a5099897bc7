; TEST sets SF (bit 7 of AL), clears ZF, PF (one bit), CF, OF; the following NOT changes no flag
; mode: pm32
; regs: eax=0x00000080 eflags=0x8c3
; expect: eax=0xffffff7f cf=0 of=0 sf=1 zf=0 pf=0
    test al, 0x80
    not eax
