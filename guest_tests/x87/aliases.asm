; The x87 encodings the SDM leaves blank that the processor executes as aliases: D9 D8+i and DF D0+i/D8+i as FSTP, DC D0+i/D8+i as FCOM/FCOMP, DE D0+i as FCOMP, DD C8+i and DF C8+i as FXCH, DF C0+i as FFREEP
; mode: pm32
; | Expectation: the host CPU, which executes each as its alias: capstone does not decode all of
; | them, so the native oracle does not take the body; the same sequence run on the host in
; | tests/test_x87_instructions.py gives these status words.
; compare: 0x18100 32
    fninit
    fld1
    fldpi
    fldz
    .byte 0xdd, 0xca                 ; fxch st(2)
    .byte 0xdf, 0xc9                 ; fxch st(1)
    .byte 0xdc, 0xd1                 ; fcom st(1)
    fnstsw ax
    mov [0x18100], ax
    .byte 0xdc, 0xda                 ; fcomp st(2)
    fnstsw ax
    mov [0x18102], ax
    fld1
    .byte 0xde, 0xd1                 ; fcomp st(1)
    fnstsw ax
    mov [0x18104], ax
    .byte 0xd9, 0xd9                 ; fstp st(1)
    .byte 0xdf, 0xd1                 ; fstp st(1)
    fld1
    .byte 0xdf, 0xd9                 ; fstp st(1)
    fld1
    .byte 0xdf, 0xc1                 ; ffreep st(1)
    fnstsw ax
    mov [0x18106], ax
    fld1
    fadd st(0), st(2)
    fstp tbyte ptr [0x18108]
    fnstsw ax
    mov [0x18112], ax
