; SAR by 31 leaves only copies of the sign bit; CF is bit 30 of the source
; mode: pm32
; regs: eax=0x80000000 ebx=0x7fffffff ecx=0
; expect: ebx=0 cl=1 eax=0xffffffff cf=0 sf=1 zf=0 pf=1
    sar ebx, 31
    setc cl
    sar eax, 31
