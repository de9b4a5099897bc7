; LSL at CPL0 gives the byte-granular segment limit: flat 0x10, TSS 0x28, 16-bit data 0x38; ZF=0 for null or empty selectors
; mode: pm32
; regs: esi=0x44444444 edi=0x55555555
; data: 0x18000 dd 0xaaaaaaaa 0xaaaaaaaa
; expect-exceptions: none
; SDM vol. 2 LSL: 0x10 has G=1, limit 0xFFFFF: 0xFFFFFFFF. TSS limit 0x88
; (G=0). 0x38 limit 0xFFFF. Selector 0 and the zero slot 0x50: ZF=0, dest
; unchanged. ZF to 0x18000+i.
; expect: eax=0xffffffff ecx=0x88 edx=0xffff esi=0x44444444 edi=0x55555555
; expect: mem32[0x18000]=0x00010101 mem32[0x18004]=0xaaaaaa00
    mov ebx, 0x10
    lsl eax, ebx
    setz byte ptr [0x18000]
    mov ebx, 0x28
    lsl ecx, ebx
    setz byte ptr [0x18001]
    mov ebx, 0x38
    lsl edx, ebx
    setz byte ptr [0x18002]
    mov ebx, 0
    lsl esi, ebx
    setz byte ptr [0x18003]
    mov ebx, 0x50
    lsl edi, ebx
    setz byte ptr [0x18004]
