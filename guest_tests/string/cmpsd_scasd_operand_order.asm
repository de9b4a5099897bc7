; CMPSD sets flags from [ESI]-[EDI] and SCASD from EAX-[EDI] (operand order shows in CF and OF)
; mode: pm32
; regs: esi=0x18000 edi=0x18100 eax=1
; data: 0x18000 dd 0x80000000
; data: 0x18100 dd 1 2
; data: 0x18200 dd 0
; expect: mem32[0x18200]=0x816
; expect: esi=0x18004 edi=0x18108
; expect: cf=1 zf=0 sf=1 of=0 af=1 pf=1
; | cmpsd: 0x80000000-1 = 0x7FFFFFFF: CF=0, OF=1, SF=0, ZF=0, AF=1 (0 < 1), PF=1 (low byte 0xFF)
; |   pushed EFLAGS = 0x800|0x10|0x4|0x2 = 0x816 (the reverse order, 1-0x80000000, would give CF=1)
; | scasd: EAX=1 minus [0x18104]=2 = 0xFFFFFFFF: CF=1, SF=1, OF=0, ZF=0, AF=1, PF=1
    cld
    cmpsd
    pushfd
    pop dword ptr [0x18200]
    scasd
