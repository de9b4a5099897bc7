; FLD1, FLDZ, FLDPI, FLDL2T, FLDL2E, FLDLG2, FLDLN2 under each rounding control: the 66-bit internal constants rounded to 64 bits, no PE, C1 clear
; mode: pm32
; | Expectation: the host CPU (native oracle); SDM vol. 1 8.3.8 (pi rounds to ...c235 to nearest
; | and up, ...c234 down and toward zero; FLDL2E ...f0bc and ...f0bb likewise).
; data: 0x18020 dw 0x037f 0x077f 0x0b7f 0x0f7f
; compare: 0x18100 300
; expect: mem32[0x18100]=0x2168c235 mem32[0x18104]=0xc90fdaa2
; expect: mem32[0x18146]=0x2168c234 mem32[0x1815a]=0x5c17f0bb
    fninit
    mov esi, 0x18020
    mov edi, 0x18100
    mov ecx, 4
next:
    fldcw word ptr [esi]
    fldpi
    fstp tbyte ptr [edi]
    fldl2t
    fstp tbyte ptr [edi + 10]
    fldl2e
    fstp tbyte ptr [edi + 20]
    fldlg2
    fstp tbyte ptr [edi + 30]
    fldln2
    fstp tbyte ptr [edi + 40]
    fld1
    fstp tbyte ptr [edi + 50]
    fldz
    fstp tbyte ptr [edi + 60]
    add esi, 2
    add edi, 70
    dec ecx
    jnz next
    fnstsw ax
    mov [0x18220], ax
