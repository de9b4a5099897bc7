; BSF and BSR find the lowest and highest set bit (32- and 16-bit); ZF=0 for a non-zero source
; mode: pm32
; regs: ebx=0x00801000 ecx=0xffffffff edx=0xffffffff eflags=0x42
; data: 0x18000 dw 0x0006
; expect: eax=12 ecx=23 edx=0xffff0002 zf=0
    bsf eax, ebx
    bsr ecx, ebx
    bsr dx, word ptr [0x18000]
