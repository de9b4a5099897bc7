; 8-bit DIV: AX / r8 puts the quotient in AL and the remainder in AH; upper EAX kept
; mode: pm32
; regs: eax=0xffff1234 ebx=0x56
; expect: eax=0xffff1036 ebx=0x56
    div bl
