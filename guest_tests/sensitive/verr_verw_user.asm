; VERR/VERW at CPL3: user code readable, user data readable and writable, DPL-0 segments neither
; mode: user32
; data: 0x18000 dd 0xaaaaaaaa 0xaaaaaaaa
; expect-exceptions: none
; SDM vol. 2 VERR/VERW: needs DPL >= CPL 3 and DPL >= RPL. ZF to 0x18000+i:
; verr 0x1b, verw 0x1b, verr 0x23, verw 0x23, verr 0x08, verr 0x10, verw 0x10, verw 0x13.
; expect: mem32[0x18000]=0x01010001 mem32[0x18004]=0x00000000 cs=0x1b
    mov ax, 0x1b
    verr ax
    setz byte ptr [0x18000]
    verw ax
    setz byte ptr [0x18001]
    mov ax, 0x23
    verr ax
    setz byte ptr [0x18002]
    verw ax
    setz byte ptr [0x18003]
    mov ax, 0x08
    verr ax
    setz byte ptr [0x18004]
    mov ax, 0x10
    verr ax
    setz byte ptr [0x18005]
    verw ax
    setz byte ptr [0x18006]
    mov ax, 0x13
    verw ax
    setz byte ptr [0x18007]
