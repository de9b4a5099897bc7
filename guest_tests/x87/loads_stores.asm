; FLD and FST/FSTP of single, double and extended reals, FILD and FIST/FISTP of word, dword and qword integers, FBLD and FBSTP of packed BCD, FLD/FST/FSTP ST(i)
; mode: pm32
; | Expectation: the host CPU (native oracle); the exact round trips worked by hand (1.5 as a
; | single 0x3fc00000, as a double 0x3ff8000000000000); the final status word (IE from FIST of
; | -500000 to a word) from the host CPU.
; data: 0x18000 dd 0x3fc00000 0 0x3ff80000
; data: 0x18010 dd 0x89abcdef 0x01234567
; data: 0x18018 dw 0x3ffe
; data: 0x18020 dd 0x23456789 0x00000001 0x00008000
; data: 0x18030 dw 0xff85
; data: 0x18034 dd 0xfff85ee0 0x7fffffff 0xffffffff 0x7fffffff
; compare: 0x18100 160
; expect: mem32[0x18100]=0x3fc00000 mem32[0x18104]=0 mem32[0x18108]=0x3ff80000 mem32[0x18118]=0x23456789 mem32[0x1811c]=0x01
; expect: mem16[0x1815c]=0x0001
    fninit
    fld dword ptr [0x18000]
    fst qword ptr [0x18104]
    fstp dword ptr [0x18100]
    fld tbyte ptr [0x18010]
    fld st(0)
    fst st(2)
    fstp st(3)
    fstp tbyte ptr [0x1810c]
    fbld tbyte ptr [0x18020]
    fld st(0)
    fbstp tbyte ptr [0x18118]
    fistp qword ptr [0x18124]
    fild word ptr [0x18030]
    fist dword ptr [0x1812c]
    fistp word ptr [0x18130]
    fild dword ptr [0x18034]
    fist word ptr [0x18132]
    fistp qword ptr [0x18134]
    fild qword ptr [0x18038]
    fist dword ptr [0x1813c]
    fistp word ptr [0x18140]
    fild qword ptr [0x18040]
    fbstp tbyte ptr [0x18144]
    fld qword ptr [0x18004]
    fst dword ptr [0x18150]
    fstp qword ptr [0x18154]
    fnstsw ax
    mov [0x1815c], ax
    fstp st(0)
    fstp st(0)
