; With ECX=0, REP MOVSB, REP STOSD, REPE CMPSB and REPNE SCASB do nothing: no store, no index step, no flags
; mode: pm32
; regs: ecx=0 esi=0x18000 edi=0x18100 eax=0x41
; data: 0x18000 db 1 2 3 4
; data: 0x18100 db 9 9 9 9
; expect: esi=0x18000 edi=0x18100 ecx=0 eax=0x41
; expect: mem32[0x18100]=0x09090909
; expect: cf=1 pf=1 af=1 zf=1 sf=1 of=1 df=0
; | POPFD 0x8D7 sets OF SF ZF AF PF CF; a compare that ran (1-9 or 0x41-9) would clear ZF.
    push dword 0x8d7
    popfd
    rep movsb
    rep stosd
    repe cmpsb
    repne scasb
