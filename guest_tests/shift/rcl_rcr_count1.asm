; RCL/RCR by 1 rotate through CF; OF is MSB(result) XOR CF for RCL, old MSB XOR old CF for RCR
; mode: pm32
; regs: eax=0x80000000 ebx=2 ecx=0
; expect: eax=1 cl=1 ch=1 ebx=0x80000001 cf=0 of=1 zf=0 sf=0
    stc
    rcl eax, 1
    setc cl
    seto ch
    stc
    rcr ebx, 1
