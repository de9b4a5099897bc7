; CMPXCHG8B: equal stores ECX:EBX (ZF=1); not equal loads m64 into EDX:EAX (ZF=0); CF is not touched
; mode: pm32
; regs: eax=0x89abcdef edx=0x01234567 ebx=0x11111111 ecx=0x22222222
; data: 0x18000 dd 0x89abcdef 0x01234567 0x33333333 0x44444444
; expect: mem32[0x18000]=0x11111111 mem32[0x18004]=0x22222222 esi=0x43 mem32[0x18008]=0x33333333 mem32[0x1800c]=0x44444444 eax=0x33333333 edx=0x44444444 zf=0 cf=1
    stc
    cmpxchg8b qword ptr [0x18000]
    pushfd
    pop esi
    cmpxchg8b qword ptr [0x18008]
