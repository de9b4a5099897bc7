; REP MOVSB with DF=0 copies ECX bytes upward, leaving ESI/EDI past the block and ECX=0
; mode: pm32
; regs: esi=0x18000 edi=0x18100 ecx=5
; data: 0x18000 db 0x11 0x22 0x33 0x44 0x55 0x66
; data: 0x18100 db 0xaa 0xaa 0xaa 0xaa 0xaa 0xaa
; expect: esi=0x18005 edi=0x18105 ecx=0 df=0
; expect: mem32[0x18100]=0x44332211 mem16[0x18104]=0xaa55
; | five iterations, each: [EDI] <- [ESI]; ESI += 1; EDI += 1; ECX -= 1. The sixth byte stays 0xAA.
    cld
    rep movsb
