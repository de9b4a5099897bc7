; Real mode REP MOVSW uses only SI, DI and CX (16-bit address size): the upper halves are not used or changed
; mode: real16
; regs: esi=0x12348000 edi=0x56788100 ecx=0x9abc0003
; data: 0x18000 dw 0x1111 0x2222 0x3333 0x4444
; data: 0x18100 dw 0 0 0 0
; expect: esi=0x12348006 edi=0x56788106 ecx=0x9abc0000
; expect: mem16[0x18100]=0x1111 mem16[0x18102]=0x2222 mem16[0x18104]=0x3333 mem16[0x18106]=0
; | DS = ES = 0x1000: DS:0x8000 is linear 0x18000, ES:0x8100 is linear 0x18100.
    cld
    rep movsw
