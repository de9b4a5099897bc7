; C6 and C7 with a ModRM reg field other than 0 are reserved (group 11): #UD, nothing
; written
; mode: pm32
; on-exception: resume
; regs: ecx=0x11223344 eax=0x18000
; compare: 0x18000 4
; expect: ecx=0x11223344 mem32[0x18000]=0
; expect-exceptions: 6/-@l_c6 6/-@l_c7 6/-@l_c6_7
; | Intel SDM vol. 2 Appendix A, Table A-6: group 11 defines C6 /0 and C7 /0 (MOV r/m,
; | imm) and, with RTM, C6 F8 and C7 F8 (XABORT, XBEGIN); every other reg field is
; | reserved, and a reserved encoding raises #UD (vol. 2 2.4) before it writes anything.
; | The modelled CPU has no RTM (its CPUID), so only /0 is defined. C6 C9 12 would be
; | "/1 CL, 0x12"; C7 08 followed by an imm32 "/1 [EAX], 0x55"; C6 F9 90 "/7 CL, 0x90",
; | the XABORT row with another r/m.
l_c6:
    .byte 0xc6, 0xc9, 0x12
l_c7:
    .byte 0xc7, 0x08, 0x55, 0x00, 0x00, 0x00
l_c6_7:
    .byte 0xc6, 0xf9, 0x90
l_end:
    nop
