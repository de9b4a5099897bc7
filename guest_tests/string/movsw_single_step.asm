; MOVSW without REP moves one word and leaves ECX alone; after STD it steps ESI/EDI back by 2
; mode: pm32
; regs: esi=0x18000 edi=0x18100 ecx=7
; data: 0x18000 dw 0x1234 0x5678
; data: 0x18100 dw 0 0 0xeeee
; expect: esi=0x18000 edi=0x18100 ecx=7 df=1
; expect: mem16[0x18100]=0x1234 mem16[0x18102]=0x5678 mem16[0x18104]=0xeeee
; | movsw (DF=0): [0x18100] <- 0x1234, ESI=0x18002, EDI=0x18102
; | movsw (DF=1): [0x18102] <- [0x18002] = 0x5678, ESI=0x18000, EDI=0x18100
    cld
    movsw
    std
    movsw
