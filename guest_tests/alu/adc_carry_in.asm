; ADC adds the incoming CF: 0xfffffffe + 1 + CF(1) wraps to 0 with CF, ZF, AF, PF set
; mode: pm32
; regs: eax=0xfffffffe ebx=1
; expect: eax=0 ebx=1 cf=1 zf=1 sf=0 of=0 af=1 pf=1
    stc
    adc eax, ebx
