; STR at CPL3 is allowed (UMIP off) and reveals the task register selector 0x28
; mode: user32
; regs: eax=0xdeadbeef ecx=0xffffffff
; data: 0x18000 dd 0xffffffff
; expect-exceptions: none
; expect: eax=0xdead0028 ecx=0x28 mem32[0x18000]=0xffff0028 cs=0x1b
    str ax
    str ecx
    str [0x18000]
