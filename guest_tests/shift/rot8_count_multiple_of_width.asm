; 8-bit ROL by 8 / ROR by 16: the operand is unchanged but CF is still written (LSB for ROL, MSB for ROR)
; mode: pm32
; regs: eax=0x81 edx=0x80 ebx=0
; expect: al=0x81 bl=1 dl=0x80 cf=1
    clc
    rol al, 8
    setc bl
    clc
    ror dl, 16
