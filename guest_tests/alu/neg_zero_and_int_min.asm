; NEG: CF=0 only for a zero operand; NEG of 0x80000000 gives itself with OF=1
; mode: pm32
; regs: eax=0x80000000 ecx=0
; expect: esi=0x46 ecx=0 eax=0x80000000 cf=1 of=1 sf=1 zf=0 af=0 pf=1
    neg ecx
    pushfd
    pop esi
    neg eax
