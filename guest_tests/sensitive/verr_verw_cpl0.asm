; VERR/VERW at CPL0: readable code is readable not writable, data both, TSS/null/past-limit neither
; mode: pm32
; data: 0x18000 dd 0xaaaaaaaa 0xaaaaaaaa 0xaaaaaaaa
; expect-exceptions: none
; SDM vol. 2 VERR/VERW: ZF=1 when the segment is readable (VERR) or writable
; (VERW) from CPL and RPL; code segments are never writable; system segments
; and null selectors give ZF=0. 0x23 (DPL 3, RPL 3) is writable from CPL0.
; 0x30 is readable 16-bit code. ZF to 0x18000+i:
; verr 0x08, verw 0x08, verr 0x10, verw 0x10, verr 0x28, verw 0x28,
; verr 0, verw 0, verw 0x23, verr 0x100, verr 0x30, verw 0x30.
; expect: mem32[0x18000]=0x01010001 mem32[0x18004]=0x00000000 mem32[0x18008]=0x00010001
    mov ax, 0x08
    verr ax
    setz byte ptr [0x18000]
    verw ax
    setz byte ptr [0x18001]
    mov ax, 0x10
    verr ax
    setz byte ptr [0x18002]
    verw ax
    setz byte ptr [0x18003]
    mov ax, 0x28
    verr ax
    setz byte ptr [0x18004]
    verw ax
    setz byte ptr [0x18005]
    mov ax, 0
    verr ax
    setz byte ptr [0x18006]
    verw ax
    setz byte ptr [0x18007]
    mov ax, 0x23
    verw ax
    setz byte ptr [0x18008]
    mov ax, 0x100
    verr ax
    setz byte ptr [0x18009]
    mov ax, 0x30
    verr ax
    setz byte ptr [0x1800a]
    verw ax
    setz byte ptr [0x1800b]
