; 8-bit ADD 0x80 + 0x80: carry out of bit 7 and signed overflow; AH and the upper EAX bits are kept
; mode: pm32
; regs: eax=0x12345680 ebx=0xaaaaaa80
; expect: eax=0x12345600 ebx=0xaaaaaa80 cf=1 of=1 zf=1 sf=0 af=0 pf=1
    add al, bl
