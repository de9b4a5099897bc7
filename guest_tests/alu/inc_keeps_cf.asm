; INC 0x7fffffff overflows into the sign bit and carries out of bit 3, and leaves CF as it was (set)
; mode: pm32
; regs: eax=0x7fffffff
; expect: eax=0x80000000 cf=1 of=1 sf=1 zf=0 af=1 pf=1
    stc
    inc eax
