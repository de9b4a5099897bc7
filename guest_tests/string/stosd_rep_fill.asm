; REP STOSD stores EAX into ECX dwords at ES:EDI, EDI advances by 4 each, EAX unchanged
; mode: pm32
; regs: eax=0xdeadbeef edi=0x18000 ecx=3
; data: 0x18000 dd 0 0 0 0x11111111
; expect: mem32[0x18000]=0xdeadbeef mem32[0x18004]=0xdeadbeef mem32[0x18008]=0xdeadbeef
; expect: mem32[0x1800c]=0x11111111 edi=0x1800c ecx=0 eax=0xdeadbeef
    cld
    rep stosd
