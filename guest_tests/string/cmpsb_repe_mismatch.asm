; REPE CMPSB stops at the first mismatch: ECX counts that iteration, ESI/EDI point past it, flags from [ESI]-[EDI]
; mode: pm32
; regs: esi=0x18000 edi=0x18100 ecx=8
; data: 0x18000 db 0x41 0x42 0x43 0x44 0x45
; data: 0x18100 db 0x41 0x42 0x58 0x44 0x45
; expect: ecx=5 esi=0x18003 edi=0x18103
; expect: zf=0 cf=1 sf=1 of=0 af=1 pf=1
; | iterations 1, 2 equal (ECX 7, 6); iteration 3: 0x43-0x58 = 0xEB, ECX=5, stop on ZF=0
; | 0xEB: CF=1 (0x43 < 0x58), SF=1, OF=0 (67-88 = -21 fits), AF=1 (3 < 8), PF=1 (six bits set)
    cld
    repe cmpsb
