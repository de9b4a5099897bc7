; SHLD by 8 fills from the top of the source; CF is bit 24 of the destination
; mode: pm32
; regs: eax=0x12345678 ebx=0x9abcdef0
; expect: eax=0x3456789a ebx=0x9abcdef0 cf=0 sf=0 zf=0 pf=1
    shld eax, ebx, 8
