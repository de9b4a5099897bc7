; SLDT at CPL0 stores the null LDTR selector: 16 bits to memory or a 16-bit register, zero-extended into a 32-bit register
; mode: pm32
; regs: eax=0xdeadbeef ecx=0xffffffff
; data: 0x18000 dd 0xffffffff
; expect-exceptions: none
; SDM vol. 2 SLDT: the LDTR was never loaded (selector 0). r16 writes only
; AX; r32 clears bits 31:16 (P6 family and later); m16 writes 2 bytes.
; expect: eax=0xdead0000 ecx=0 mem32[0x18000]=0xffff0000
    sldt ax
    sldt ecx
    sldt [0x18000]
