; REPNE SCASB finds the terminating zero: ECX drops by length+1, EDI points past the zero, ZF=1
; mode: pm32
; regs: edi=0x18000 ecx=0xffffffff eax=0
; data: 0x18000 db 0x68 0x65 0x6c 0x6c 0x6f 0x00 0x21
; expect: ecx=0xfffffff9 edi=0x18006 eax=0
; expect: zf=1 cf=0 sf=0 of=0 af=0 pf=1
; | six comparisons (five letters, then the zero): ECX = 0xFFFFFFFF - 6, EDI = 0x18000 + 6
    cld
    repne scasb
