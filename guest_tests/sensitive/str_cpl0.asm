; STR at CPL0 stores the task register selector 0x28
; mode: pm32
; regs: eax=0xdeadbeef ecx=0xffffffff
; data: 0x18000 dd 0xffffffff
; expect-exceptions: none
; SDM vol. 2 STR: r16 writes AX only, r32 zero-extends, m16 writes 2 bytes.
; expect: eax=0xdead0028 ecx=0x28 mem32[0x18000]=0xffff0028
    str ax
    str ecx
    str [0x18000]
