; FCOS, FSINCOS, FPATAN and FYL2XP1 of zeros are exact: cos(+0) = 1, sincos(+0) = (+0, 1), atan(+0 / 1) = +0, 1 * log2(1 + 0) = +0
; mode: pm32
; data: 0x18000 dd 0 0 0 0 0 0
; compare: 0x18000 24
; expect-exceptions: none
; expect: mem32[0x18000]=0x3f800000 mem32[0x18004]=0x3f800000 mem32[0x18008]=0 mem32[0x1800c]=0 mem32[0x18010]=0
; | SDM vol. 2, worked by hand: FCOS of +0 is 1.0 (single 0x3f800000); FSINCOS of +0
; | leaves cos = 1.0 in ST(0) and sin = +0 in ST(1); FPATAN of ST(1) = +0 over ST(0) = 1
; | is +0 (its table: +0 / +finite gives +0); FYL2XP1 with ST(0) = +0 and ST(1) = 1 is
; | 1 * log2(1) = +0. FNCLEX clears the exception flags at the end.
    fldz
    fcos
    fstp dword ptr [0x18000]
    fldz
    fsincos
    fstp dword ptr [0x18004]
    fstp dword ptr [0x18008]
    fldz
    fld1
    fpatan
    fstp dword ptr [0x1800c]
    fld1
    fldz
    fyl2xp1
    fstp dword ptr [0x18010]
    fnclex
