; SMSW at CPL0 stores CR0 bits 15:0 (PE=1, ET=1: 0x11), the same as the low word of MOV from CR0
; mode: pm32
; regs: eax=0xdeadbeef ecx=0xffffffff
; data: 0x18000 dd 0xffffffff
; expect-exceptions: none
; SDM vol. 2 SMSW: r16 writes AX; r32: bits 15:0 from CR0, 31:16 undefined
; (only CX checked); m16 writes 2 bytes. CR0: PE set by the stub, ET
; hard-wired 1, MP/EM/TS/NE clear.
; expect: eax=0xdead0011 cx=0x11 dx=0x11 mem32[0x18000]=0xffff0011
    smsw ax
    smsw ecx
    smsw [0x18000]
    mov edx, cr0
