; Unmasked exceptions leave the destination unwritten and the stack as it was: FADDP with an SNaN does not pop, FSTP of an SNaN stores nothing and does not pop, a stack underflow or overflow changes no register; only non-waiting instructions follow each, so nothing is taken
; mode: pm32
; | Expectation: the host CPU (native oracle); SDM vol. 1 8.5.1.1 and 4.9.2 (an unmasked
; | exception: operands unchanged), checked by hand: TOP stays where the loads left it.
; data: 0x18000 dw 0x037e
; data: 0x18004 dd 0x7fa00000
; compare: 0x18100 64
; expect: mem16[0x18100]=0xb081 mem32[0x18104]=0xa5a5a5a5 mem16[0x18108]=0xa8c1 mem16[0x1810e]=0xb881 mem16[0x1810a]=0xb8c1 mem16[0x1810c]=0x82c1
; data: 0x18104 dd 0xa5a5a5a5
; data: 0x18010 dw 0 0 0 0xa000 0x7fff
    fninit
    fldcw word ptr [0x18000]         ; IE unmasked
    fld1
    fld dword ptr [0x18004]          ; an SNaN, loaded: IE, pending
    fnstsw ax
    fninit
    fldcw word ptr [0x18000]
    fld1
    fld1
    fld1
    fstp st(0)
    fld dword ptr [0x18004]          ; IE again: the SNaN is not loaded
    fnstsw ax
    mov [0x18100], ax
    fninit
    fldcw word ptr [0x18000]
    fld tbyte ptr [0x18010]          ; an SNaN as an extended real: loaded without IE
    fstp dword ptr [0x18104]         ; IE: nothing stored, nothing popped
    fnstsw ax
    mov [0x1810e], ax
    fninit
    fldcw word ptr [0x18000]
    fld1
    fstp st(1)                       ; ST(1) empty but ST(0) is not: fine
    fld1
    fld1
    fld1
    fxch st(7)                       ; ST(7) empty: underflow, nothing exchanged
    fnstsw ax
    mov [0x18108], ax
    fninit
    fldcw word ptr [0x18000]
    fld1
    fadd st(0), st(3)                ; ST(3) empty: underflow, ST(0) unchanged
    fnstsw ax
    mov [0x1810a], ax
    fninit
    fldcw word ptr [0x18000]
    fld1
    fld1
    fld1
    fld1
    fld1
    fld1
    fld1
    fld1
    fld1                             ; overflow: nothing pushed
    fnstsw ax
    mov [0x1810c], ax
    fninit
