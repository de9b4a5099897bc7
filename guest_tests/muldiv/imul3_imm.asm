; Three-operand IMUL with imm32, 16-bit imm8 and a sign-extended imm8 of -3 that overflows 32 bits
; mode: pm32
; regs: edx=2 edi=0x1249 esi=0xaaaa0000 ebx=0x2aaaaaab
; expect: ecx=0x2468a esi=0xaaaa7fff edx=0 eax=0x7fffffff ebx=0x2aaaaaab cf=1 of=1
    imul ecx, edx, 0x12345
    imul si, di, 7
    setc dl
    seto dh
    imul eax, ebx, -3
