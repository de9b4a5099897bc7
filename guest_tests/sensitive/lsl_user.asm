; LSL at CPL3: the user data segment's limit is visible, DPL-0 segments and the TSS give ZF=0
; mode: user32
; regs: ecx=0x22222222 edx=0x33333333
; data: 0x18000 dd 0xaaaaaaaa
; expect-exceptions: none
; SDM vol. 2 LSL: visible when DPL >= CPL and DPL >= RPL. ZF to 0x18000+i.
; expect: eax=0xffffffff ecx=0x22222222 edx=0x33333333 cs=0x1b
; expect: mem32[0x18000]=0xaa000001
    mov ebx, 0x23
    lsl eax, ebx
    setz byte ptr [0x18000]
    mov ebx, 0x10
    lsl ecx, ebx
    setz byte ptr [0x18001]
    mov ebx, 0x28
    lsl edx, ebx
    setz byte ptr [0x18002]
