; ADD sets CF, ZF, SF, OF from the 32-bit sum
; mode: pm32
; regs: eax=0xffffffff ebx=1
; expect: eax=0 cf=1 zf=1 sf=0 of=0 ebx=1
    add eax, ebx
