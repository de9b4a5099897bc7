; REPNE CMPSB stops at the first equal pair with ZF=1 and ECX not yet zero
; mode: pm32
; regs: esi=0x18000 edi=0x18100 ecx=4
; data: 0x18000 db 1 2 3 4
; data: 0x18100 db 5 6 3 4
; expect: ecx=1 esi=0x18003 edi=0x18103
; expect: zf=1 cf=0 sf=0 of=0 af=0 pf=1
; | 1 vs 5 (ECX 3), 2 vs 6 (ECX 2), 3 vs 3 equal (ECX 1): stop
    cld
    repne cmpsb
