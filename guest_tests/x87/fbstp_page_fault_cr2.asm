; FBSTP to a page that is not present faults with CR2 the address of its first byte
; mode: user32
; on-exception: resume
; regs: eax=0x90909090
; expect: cr2=0x90909090
; expect-exceptions: 14/6@l_fbstp
; | SDM vol. 2 FBSTP: an m80bcd destination, ten bytes from 0x90909090, all on one page,
; | which is not mapped: #PF with W/R = 1, U/S = 1 (error code 6) and CR2 0x90909090, the
; | access's first byte, as the host CPU (native oracle) reports it. The fault leaves the
; | stack as it was; FNINIT then clears it.
    fld1
l_fbstp:
    fbstp tbyte ptr [eax]
    fninit
