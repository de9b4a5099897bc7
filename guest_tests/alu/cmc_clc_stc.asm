; STC, CLC and CMC write only CF
; mode: pm32
; regs: eflags=0x2
; expect: ebx=0x2 ecx=0x3 cf=1 zf=0 sf=0 of=0 pf=0 af=0
    stc
    cmc
    pushfd
    pop ebx
    stc
    pushfd
    pop ecx
    clc
    cmc
