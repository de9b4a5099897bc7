; IDIV 0x80000000 / -1 overflows the quotient: #DE (vector 0) at the IDIV
; mode: pm32
; regs: eax=0x80000000 edx=0xffffffff ecx=0xffffffff
; on-exception: resume
; SDM vol. 2 IDIV: quotient +2^31 does not fit in EAX: #DE; EDX:EAX unchanged.
; expect-exceptions: 0/-@dv
; expect: eax=0x80000000 edx=0xffffffff ecx=0xffffffff ebx=3
    mov ebx, 3
dv:
    idiv ecx
