; SLDT at CPL3 is allowed (UMIP off) and stores the null LDTR selector
; mode: user32
; regs: eax=0xdeadbeef ecx=0xffffffff
; data: 0x18000 dd 0xffffffff
; expect-exceptions: none
; expect: eax=0xdead0000 ecx=0 mem32[0x18000]=0xffff0000 cs=0x1b
    sldt ax
    sldt ecx
    sldt [0x18000]
