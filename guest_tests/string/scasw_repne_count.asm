; REPNE SCASW that finds no match ends on ECX=0 with ZF=0, even though a match lies just beyond the count
; mode: pm32
; regs: eax=0x7777 edi=0x18000 ecx=4
; data: 0x18000 dw 1 2 3 4 0x7777
; expect: ecx=0 edi=0x18008 eax=0x7777
; expect: zf=0 cf=0 sf=0 of=0 af=0 pf=0
; | last compare 0x7777-4 = 0x7773: no borrow, AF=0 (7 >= 4), PF=0 (0x73 has five bits)
    cld
    repne scasw
