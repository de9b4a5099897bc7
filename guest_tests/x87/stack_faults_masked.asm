; Stack overflow (a ninth push: IE, SF and C1 set, the real indefinite pushed) and underflow (an empty operand: IE and SF, C1 clear, the indefinite written) with IE masked
; mode: pm32
; | Expectation: the host CPU (native oracle); SDM vol. 1 8.5.1.1 (the masked response is the real
; | indefinite, 0xffff c000000000000000); status words checked by hand.
; compare: 0x18100 128
; expect: mem16[0x18100]=0x3a41 mem16[0x1810a]=0xffff mem32[0x18106]=0xc0000000
    fninit
    fld1
    fld1
    fld1
    fld1
    fld1
    fld1
    fld1
    fld1
    fld1                             ; overflow: TOP 7, IE SF C1
    fnstsw ax
    mov [0x18100], ax
    fstp tbyte ptr [0x18102]
    fninit
    fadd st(0), st(1)                ; both empty: ST(0) gets the indefinite
    fnstsw ax
    mov [0x1810c], ax
    fnclex
    fstp st(0)
    fstp dword ptr [0x18110]         ; empty: the single indefinite 0xffc00000 is stored
    fist word ptr [0x18114]          ; empty: the integer indefinite 0x8000
    fbstp tbyte ptr [0x18116]        ; empty: the BCD indefinite
    fnstsw ax
    mov [0x18120], ax
    fninit
    fcom st(1)                       ; empty: unordered, IE SF
    fnstsw ax
    mov [0x18122], ax
    fxch st(3)                       ; both empty: both get the indefinite
    fchs
    fnstsw ax
    mov [0x18124], ax
    fstp tbyte ptr [0x18126]
    fninit
    fld st(5)                        ; empty ST(5): the indefinite pushed
    fnstsw ax
    mov [0x18130], ax
    fld1
    fscale                           ; ST(1) is the indefinite: a NaN result
    fxtract
    fnstsw ax
    mov [0x18132], ax
    fstp tbyte ptr [0x18134]
    fstp tbyte ptr [0x1813e]
    fnstsw ax
    mov [0x18148], ax
