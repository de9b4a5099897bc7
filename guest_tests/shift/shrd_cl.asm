; SHRD by CL = 4 fills from the bottom of the source; CF is bit 3 of the destination (flags read with SETcc)
; mode: pm32
; regs: esi=0x12345678 edi=0x0000000f ecx=4 eax=0xffffffff ebx=0xffffffff
; expect: esi=0xf1234567 edi=0xf al=1 ah=1 bl=0 bh=0
    shrd esi, edi, cl
    setc al
    sets ah
    setz bl
    setp bh
