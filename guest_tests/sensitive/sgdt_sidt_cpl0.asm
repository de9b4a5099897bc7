; SGDT/SIDT at CPL0 store the runtime's GDTR (limit 0xFF, base 0x600) and IDTR (limit 0x7FF, base 0x800)
; mode: pm32
; data: 0x18000 dd 0xaaaaaaaa 0xaaaaaaaa 0xaaaaaaaa 0xaaaaaaaa
; expect-exceptions: none
; SDM vol. 2 SGDT/SIDT: 6 bytes, 16-bit limit then 32-bit base (32-bit
; operand size); the bytes after them are untouched.
; expect: mem16[0x18000]=0xff mem32[0x18002]=0x600 mem16[0x18006]=0xaaaa
; expect: mem16[0x18008]=0x7ff mem32[0x1800a]=0x800 mem16[0x1800e]=0xaaaa
    sgdt [0x18000]
    sidt [0x18008]
