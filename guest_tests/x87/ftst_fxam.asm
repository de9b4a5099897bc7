; FTST compares ST(0) with +0.0; FXAM classifies ST(0) (zero, denormal, normal, infinity, NaN, unsupported, empty) with its sign in C1
; mode: pm32
; | Expectation: the host CPU (native oracle), each status word checked by hand against SDM vol. 2
; | FXAM (C3 C2 C0: unsupported 000, NaN 001, normal 010, infinity 011, zero 100, empty 101,
; | denormal 110; C1 the sign) and FTST, with TOP in bits 11-13 and the sticky IE and DE.
; data: 0x18000 dd 1 0
; data: 0x18008 dw 0
; data: 0x18020 dd 0 0x40000000
; data: 0x18028 dw 0x7fff
; data: 0x18030 dd 0 0x40000000
; data: 0x18038 dw 0x4000
; data: 0x18040 dd 0x7f800000 0xff800001 0x80000000 0x00000001
; compare: 0x18100 64
; expect: mem16[0x18100]=0x7800 mem16[0x18102]=0x7800 mem16[0x18104]=0x3400 mem16[0x18106]=0x2f00 mem16[0x18108]=0x2301 mem16[0x1810c]=0x5403 mem16[0x18110]=0x0803 mem16[0x18112]=0x4903 mem16[0x18114]=0x4d03 mem16[0x18116]=0x4003
    fninit
    fldz
    fxam
    fnstsw ax
    mov [0x18100], ax
    ftst
    fnstsw ax
    mov [0x18102], ax
    fld1
    fxam
    fnstsw ax
    mov [0x18104], ax
    fld dword ptr [0x18040]          ; +inf
    fchs
    fxam
    fnstsw ax
    mov [0x18106], ax
    fld dword ptr [0x18044]          ; a NaN (the signalling kind, quietened by FLD: IE)
    fxam
    fnstsw ax
    mov [0x18108], ax
    fld dword ptr [0x1804c]          ; a single denormal, normal in extended (DE)
    fxam
    fnstsw ax
    mov [0x1810a], ax
    fld tbyte ptr [0x18000]          ; an extended denormal
    fxam
    fnstsw ax
    mov [0x1810c], ax
    ftst
    fnstsw ax
    mov [0x1810e], ax
    fld tbyte ptr [0x18020]          ; a pseudo-NaN (integer bit clear): unsupported
    fxam
    fnstsw ax
    mov [0x18110], ax
    ffree st(0)
    fxam                             ; empty
    fnstsw ax
    mov [0x18112], ax
    fincstp
    fld tbyte ptr [0x18030]          ; an unnormal: unsupported
    ftst                             ; invalid, unordered
    fnstsw ax
    mov [0x18114], ax
    fld dword ptr [0x18048]          ; -0
    ftst
    fnstsw ax
    mov [0x18116], ax
