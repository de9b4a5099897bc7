; Real mode REP STOSB to ES=0x1800 wraps DI from 0xFFFF to 0 within the segment
; mode: real16
; regs: es=0x1800 edi=0xffff ecx=3 eax=0x5a
; data: 0x18000 db 0 0 0
; data: 0x27ffe db 0 0 0
; expect: mem8[0x27ffe]=0 mem8[0x27fff]=0x5a mem8[0x28000]=0
; expect: mem8[0x18000]=0x5a mem8[0x18001]=0x5a mem8[0x18002]=0
; expect: edi=2 ecx=0
; | ES base 0x18000: ES:0xFFFF = linear 0x27FFF, then DI wraps: ES:0 = 0x18000, ES:1 = 0x18001
    cld
    rep stosb
