; FCHS, FABS, FSQRT, FRNDINT under each rounding control, FSCALE, FXTRACT, FPREM and FPREM1 with their condition codes
; mode: pm32
; | Expectation: the host CPU (native oracle); sqrt(2), 2.5 rounded four ways (2 2 3 2),
; | FPREM of 7 by 2 (1, quotient 3: C1 C3 = 1 1) worked by hand.
; data: 0x18000 dd 0x40200000 0x40000000 0x40e00000 0xc0e00000 0x3e000000 0x47000000
; data: 0x18020 dw 0x037f 0x077f 0x0b7f 0x0f7f
; compare: 0x18100 160
    fninit
    fld dword ptr [0x18004]      ; 2
    fsqrt
    fst qword ptr [0x18100]
    fchs
    fst dword ptr [0x18108]
    fabs
    fstp dword ptr [0x1810c]
    fldcw word ptr [0x18020]
    fld dword ptr [0x18000]      ; 2.5
    frndint
    fistp word ptr [0x18110]
    fldcw word ptr [0x18022]
    fld dword ptr [0x18000]
    frndint
    fistp word ptr [0x18112]
    fldcw word ptr [0x18024]
    fld dword ptr [0x18000]
    frndint
    fistp word ptr [0x18114]
    fldcw word ptr [0x18026]
    fld dword ptr [0x18000]
    frndint
    fistp word ptr [0x18116]
    fldcw word ptr [0x18020]
    fld dword ptr [0x18004]      ; 2
    fld dword ptr [0x18008]      ; 7, 2
    fprem
    fnstsw ax
    mov [0x18118], ax
    fstp dword ptr [0x1811c]
    fld dword ptr [0x1800c]      ; -7, 2
    fprem1
    fnstsw ax
    mov [0x18120], ax
    fstp dword ptr [0x18124]
    fld dword ptr [0x18014]      ; 32768 scaled by 2: 131072
    fscale
    fstp dword ptr [0x18128]
    fld dword ptr [0x18010]      ; 0.125
    fxtract
    fstp dword ptr [0x1812c]     ; significand 1.0
    fstp dword ptr [0x18130]     ; exponent -3
    fstp st(0)
    fld1
    fld dword ptr [0x18014]      ; 32768 by 1 000 ... a big quotient: partial remainders
    fld1
    fscale
    fscale
    fscale
    fxch st(1)
    fprem
    fnstsw ax
    mov [0x18134], ax
    fstp tbyte ptr [0x18138]
    fnstsw ax
    mov [0x18142], ax
