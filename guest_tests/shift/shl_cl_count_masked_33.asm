; SHL by CL = 33 shifts by 1 (count masked to 5 bits): CF = old MSB, OF = MSB(result) XOR CF
; mode: pm32
; regs: eax=0x80000001 ecx=33 ebx=0xffffffff edx=0xffffffff
; expect: eax=2 bl=1 bh=1 dl=0 dh=0 ecx=33
    shl eax, cl
    setc bl
    seto bh
    sets dl
    setz dh
