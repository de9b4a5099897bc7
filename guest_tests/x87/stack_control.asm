; FXCH, FFREE, FINCSTP, FDECSTP and FNOP move TOP and the tags as the SDM says (FINCSTP/FDECSTP rotate without changing tags); FLDCW/FNSTCW, FNCLEX and FNINIT
; mode: pm32
; | Expectation: the host CPU (native oracle).
; data: 0x18000 dw 0x0a7a
; compare: 0x18100 64
    fninit
    fld1
    fldpi
    fldz
    fxch st(2)
    ffree st(1)
    fincstp
    fnstsw ax
    mov [0x18100], ax
    fdecstp
    fdecstp
    fnstsw ax
    mov [0x18102], ax
    fnop
    fincstp
    fstp tbyte ptr [0x18104]
    fldcw word ptr [0x18000]         ; reserved bits dropped, bit 6 reads 1
    fnstcw [0x1810e]
    fld1
    fldz
    fdiv st(1), st(0)                ; ZE unmasked (0x0a7a masks all but ZE and DE): pending
    fnstsw ax
    mov [0x18110], ax
    fnclex
    fnstsw ax
    mov [0x18112], ax
    fninit
    fnstcw [0x18114]
    fnstsw [0x18116]
