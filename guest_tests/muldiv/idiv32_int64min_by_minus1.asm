; 32-bit IDIV of EDX:EAX = 0x80000000_00000000 by -1: the quotient 2^63 overflows, #DE (a fault at the IDIV)
; mode: pm32
; regs: eax=0 edx=0x80000000 ecx=0xffffffff
; expect: exit=exception eax=0 edx=0x80000000
; expect-exceptions: 0/-@f
f:
    idiv ecx
