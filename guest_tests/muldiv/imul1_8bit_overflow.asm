; One-operand 8-bit IMUL: -128 * -1 = 128 does not fit in AL as a signed value, so CF=OF=1
; mode: pm32
; regs: eax=0x55555580 ebx=0x000000ff
; expect: eax=0x55550080 cf=1 of=1
    imul bl
