; Two-operand IMUL keeps the low half: 16-bit 0x100 * 0x80 overflows (CF=OF=1), 32-bit -3 * 16 does not
; mode: pm32
; regs: ecx=0x55550100 edx=0x00000080 eax=0xfffffffd ebx=0
; data: 0x18000 dd 0x10
; expect: ecx=0x55558000 bl=1 bh=1 eax=0xffffffd0 cf=0 of=0
    imul cx, dx
    setc bl
    seto bh
    imul eax, dword ptr [0x18000]
