; 8/16-bit shifts by counts above the width (masked count 9..31): SHL/SHR give 0, SAR gives copies of the sign
; mode: pm32
; regs: eax=0x123456ff ebx=0x55558000 edx=0x7777ffff
; expect: edx=0x77770000 ebx=0x5555ffff eax=0x12345600 zf=1 sf=0 pf=1
    shr dx, 20
    sar bx, 31
    shl al, 9
