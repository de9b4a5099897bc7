; Shifts and rotates whose immediate count masks to 0 (0 and 32) change neither the operand nor EFLAGS
; mode: pm32
; regs: eax=0x80000001 ebx=0x12345678 ecx=0xffff8001 edx=0x000000ff eflags=0x8d7
; expect: eax=0x80000001 ebx=0x12345678 ecx=0xffff8001 edx=0xff eflags=0x8d7
    shl eax, 0
    shr ebx, 32
    sar cx, 0x20
    rol dl, 64
    rcr eax, 0x20
