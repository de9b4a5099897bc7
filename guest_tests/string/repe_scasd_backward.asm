; STD; REPE SCASD scans dwords downward while equal to EAX and stops at the first different one
; mode: pm32
; regs: eax=9 edi=0x1800c ecx=10
; data: 0x18000 dd 5 9 9 9
; expect: ecx=6 edi=0x17ffc df=1
; expect: zf=0 cf=0 sf=0 of=0 af=0 pf=0
; | [0x1800c] [0x18008] [0x18004] equal (ECX 9, 8, 7); [0x18000]=5: 9-5 = 4, ECX=6, EDI=0x17FFC
; | 4: no borrow, AF=0 (9 >= 5), PF=0 (one bit)
    std
    repe scasd
