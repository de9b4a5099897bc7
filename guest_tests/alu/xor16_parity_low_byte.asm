; PF reflects only the low byte: 16-bit XOR giving 0x8003 has PF=1 (two bits in 0x03) and SF=1
; mode: pm32
; regs: eax=0x55551234 ebx=0x00009237 eflags=0x803
; expect: eax=0x55558003 cf=0 of=0 sf=1 zf=0 pf=1
    xor ax, bx
