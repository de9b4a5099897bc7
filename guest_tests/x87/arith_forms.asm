; FADD/FSUB/FSUBR/FMUL/FDIV/FDIVR in their memory (m32, m64, m16 and m32 integer), register and pop forms
; mode: pm32
; | Expectation: the host CPU (AMD Zen 4, through the native oracle); the results are exact or
; | round to nearest, worked by hand for the first four; the status words (PE set) from the host CPU.
; data: 0x18000 dd 0x40400000 0x00000000 0x40140000 7 0xfffd
; compare: 0x18100 128
; expect: mem32[0x18100]=0x40c00000 mem32[0x18104]=0x40000000 mem32[0x18108]=0xc0000000 mem32[0x1810c]=0x41400000
; expect: mem16[0x18118]=0x3920 mem16[0x1812c]=0x0120
    fninit
    fld dword ptr [0x18000]          ; 3.0
    fadd dword ptr [0x18000]         ; 6.0
    fst dword ptr [0x18100]
    fsub qword ptr [0x18004]         ; 6 - 5 = 1  (the double 5.0 is 0x4014000000000000)
    fadd st(0), st(0)                ; 2
    fst dword ptr [0x18104]
    fsubr dword ptr [0x18000]        ; 3 - 2 = 1
    fisubr dword ptr [0x1800c]       ; 7 - 1 = 6
    fidiv word ptr [0x18010]         ; 6 / -3 = -2
    fst dword ptr [0x18108]
    fimul word ptr [0x18010]         ; 6
    fld1
    fadd st(1), st(0)                ; st1 = 7
    faddp st(1), st(0)               ; 8
    fld dword ptr [0x18000]          ; 3
    fxch st(1)
    fmul st(0), st(1)                ; 24
    fdiv st(0), st(1)                ; 8
    fdivr st(1), st(0)               ; st1 = 8 / 3
    fsub st(0), st(1)                ; 8 - 8/3
    fsubr st(1), st(0)
    fmulp st(1), st(0)
    fld1
    fdivp st(1), st(0)
    fld1
    fdivrp st(1), st(0)
    fld1
    fsubp st(1), st(0)
    fld1
    fsubrp st(1), st(0)
    fstp qword ptr [0x18110]
    fld dword ptr [0x18000]
    fmul dword ptr [0x18000]         ; 9
    fiadd dword ptr [0x1800c]        ; 16
    fisub word ptr [0x18010]         ; 19
    fimul dword ptr [0x1800c]        ; 133
    fidivr dword ptr [0x1800c]       ; 7 / 133
    ficom dword ptr [0x1800c]
    fnstsw ax
    mov [0x18118], eax
    fdiv qword ptr [0x18004]
    fdivr dword ptr [0x18000]
    fsubr qword ptr [0x18004]
    fmul qword ptr [0x18004]
    fstp tbyte ptr [0x18120]
    fnstsw ax
    mov [0x1812c], eax
    fld dword ptr [0x18000]
    fstp dword ptr [0x1810c]
    fld dword ptr [0x1810c]
    fmul dword ptr [0x18000]
    fadd dword ptr [0x18000]
    fstp dword ptr [0x1810c]
