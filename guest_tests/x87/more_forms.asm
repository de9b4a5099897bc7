; The remaining memory and register forms of D8-DF: FSUB/FSUBR/FDIVR ST(0), ST(i); FMUL/FSUB ST(i), ST(0); FSUB m32; FADD/FCOM/FCOMP/FDIVR m64; FISUB/FIDIV m32; FISTP m32; FIADD/FICOM/FICOMP/FISUBR/FIDIVR m16
; mode: pm32
; | Expectation: the host CPU (native oracle), whose status words and FISTP result are written
; | out below; the last FSTP finds the stack empty (underflow, the real indefinite).
; data: 0x18000 dd 0x40400000 0 0x40140000 7
; data: 0x18010 dw 0xfffd 5
; compare: 0x18100 96
; expect: mem16[0x18100]=0x3000 mem32[0x18104]=0xffffffff mem16[0x18108]=0x3920 mem16[0x18120]=0x0961
    fninit
    fld dword ptr [0x18000]          ; 3
    fld1                             ; 1, 3
    fsub st(0), st(1)                ; -2
    fdivr st(0), st(1)               ; 3 / -2
    fsubr st(0), st(1)
    fmul st(1), st(0)
    fsub st(1), st(0)
    fsub dword ptr [0x18000]
    fadd qword ptr [0x18004]
    fcom qword ptr [0x18004]
    fnstsw ax
    mov [0x18100], ax
    fcomp qword ptr [0x18004]
    fdivr qword ptr [0x18004]
    fisub dword ptr [0x1800c]
    fidiv dword ptr [0x1800c]
    fld st(0)
    fistp dword ptr [0x18104]
    fiadd word ptr [0x18010]
    ficom word ptr [0x18012]
    fnstsw ax
    mov [0x18108], ax
    fld st(0)
    ficomp word ptr [0x18012]
    fisubr word ptr [0x18012]
    fidivr word ptr [0x18010]
    fstp tbyte ptr [0x1810c]
    fstp tbyte ptr [0x18116]
    fnstsw ax
    mov [0x18120], ax
