; CMPXCHG: equal stores the source (ZF=1); not equal loads the destination into EAX (ZF=0, flags as CMP)
; mode: pm32
; regs: eax=0x1234 ecx=0x5678 ebx=7
; data: 0x18000 dd 0x1234
; expect: mem32[0x18000]=0x5678 esi=0x46 eax=7 ebx=7 cf=1 zf=0 sf=1 of=0 af=1 pf=0
    cmpxchg dword ptr [0x18000], ecx
    pushfd
    pop esi
    mov eax, 5
    cmpxchg ebx, ecx
