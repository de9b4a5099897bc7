; 16-bit ADD 0x7fff + 1: carry out of bit 3 (AF), signed overflow into bit 15, no carry out of bit 15
; mode: pm32
; regs: eax=0xabcd7fff ebx=0x00000001
; expect: eax=0xabcd8000 cf=0 of=1 sf=1 zf=0 af=1 pf=1
    add ax, bx
