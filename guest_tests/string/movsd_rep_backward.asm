; STD then REP MOVSD copies dwords downward: ESI/EDI step by -4 and end 4 below the block
; mode: pm32
; regs: esi=0x18008 edi=0x18108 ecx=3
; data: 0x18000 dd 0x11111111 0x22222222 0x33333333 0x44444444
; data: 0x180fc dd 0xeeeeeeee 0xeeeeeeee 0xeeeeeeee 0xeeeeeeee 0xeeeeeeee
; expect: esi=0x17ffc edi=0x180fc ecx=0 df=1
; expect: mem32[0x180fc]=0xeeeeeeee mem32[0x18100]=0x11111111 mem32[0x18104]=0x22222222
; expect: mem32[0x18108]=0x33333333 mem32[0x1810c]=0xeeeeeeee
; | [0x18108] <- [0x18008]; [0x18104] <- [0x18004]; [0x18100] <- [0x18000]; then ESI=0x17FFC, EDI=0x180FC.
; | (keystone rejects the bare mnemonic "movsd", read as the SSE2 move, so the operands are spelled out)
    std
    rep movs dword ptr es:[edi], dword ptr [esi]
