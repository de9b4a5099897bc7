; SGDT/SIDT at CPL3 are not privileged (CR4.UMIP=0): they reveal the real GDTR and IDTR
; mode: user32
; data: 0x18000 dd 0xaaaaaaaa 0xaaaaaaaa 0xaaaaaaaa 0xaaaaaaaa
; expect-exceptions: none
; Robin & Irvine: SGDT/SIDT are sensitive but unprivileged. SDM vol. 2 SGDT:
; #GP only with CR4.UMIP=1 and CPL > 0.
; expect: mem16[0x18000]=0xff mem32[0x18002]=0x600 mem16[0x18006]=0xaaaa
; expect: mem16[0x18008]=0x7ff mem32[0x1800a]=0x800 mem16[0x1800e]=0xaaaa cs=0x1b
    sgdt [0x18000]
    sidt [0x18008]
