; BSWAP reverses the byte order of a 32-bit register; twice gives the original back
; mode: pm32
; regs: eax=0x12345678 ecx=0x80000001 eflags=0x8d7
; expect: eax=0x78563412 ecx=0x80000001 eflags=0x8d7
    bswap eax
    bswap ecx
    bswap ecx
