; 8-bit SAR by 1 keeps the sign bit: 0x81 -> 0xc0, CF=1, OF=0; upper EAX bits untouched
; mode: pm32
; regs: eax=0x55555581
; expect: eax=0x555555c0 cf=1 of=0 sf=1 zf=0 pf=1
    sar al, 1
