; BSF and BSR of a zero source set ZF (the destination is undefined and not checked)
; mode: pm32
; regs: ebx=0 ecx=0x80000000 eflags=0x2
; expect: ebx=0 zf=1
    bsr eax, ecx
    bsf eax, ebx
