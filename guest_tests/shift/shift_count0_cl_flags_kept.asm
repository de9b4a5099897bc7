; Shifts and rotates by CL = 0x20 / 0x40 (masked count 0) leave the operand and EFLAGS unchanged
; mode: pm32
; regs: eax=0x80000001 ebx=0x000000ff esi=0x12348000 ecx=0x20 eflags=0x8d7
; expect: eax=0x80000001 ebx=0xff esi=0x12348000 edx=0x8d7 ecx=0x40
    shr eax, cl
    shl bl, cl
    mov cl, 0x40
    sar si, cl
    rcl eax, cl
    shld esi, eax, cl
    pushfd
    pop edx
