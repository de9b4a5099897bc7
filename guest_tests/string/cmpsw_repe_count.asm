; REPE CMPSW over equal words ends on ECX=0 with ZF=1, before reaching a later mismatch
; mode: pm32
; regs: esi=0x18000 edi=0x18100 ecx=3
; data: 0x18000 dw 0x1111 0x2222 0x3333 0x4444
; data: 0x18100 dw 0x1111 0x2222 0x3333 0x5555
; expect: ecx=0 esi=0x18006 edi=0x18106
; expect: zf=1 cf=0 sf=0 of=0 af=0 pf=1
    cld
    repe cmpsw
