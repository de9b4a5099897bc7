; CPUID and RDTSC run at CPL 0; their values are model-specific and masked, the registers they leave alone are not
; mode: pm32
; regs: esi=0x5a5a5a5a edi=0xa5a5a5a5 ebp=0x12345678
; expect: esi=0x5a5a5a5a edi=0xa5a5a5a5 ebp=0x12345678 exit=end
    xor eax, eax
    cpuid
    rdtsc
