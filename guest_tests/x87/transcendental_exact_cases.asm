; Transcendental results that are exact: FYL2X of 8 by 1 is 3, F2XM1 of -1 is -1/2, FPTAN of +0 is +0 and pushes 1; FSIN of -2^63 is out of range: C2 set, the operand unchanged
; mode: pm32
; data: 0x18000 dd 8 0 0 0 0 0 0x80000000 0
; compare: 0x18000 40
; expect-exceptions: none
; expect: mem32[0x18004]=3 mem32[0x18008]=0xbf000000 mem32[0x1800c]=0x3f800000 mem32[0x18010]=0
; expect: mem32[0x18020]=0xdf000000 eax=0x400
; | SDM vol. 2, each worked by hand: FYL2X computes ST(1) * log2(ST(0)) = 1 * log2(8) = 3
; | (stored by FISTP); F2XM1 of -1 is 2^-1 - 1 = -0.5 (single 0xbf000000); FPTAN of +0 gives
; | tan(0) = +0 and pushes 1.0, so ST(0) = 1.0 (0x3f800000) and ST(1) = +0. FSIN with
; | |ST(0)| >= 2^63, "C2 is set and the value in ST(0) unchanged": FILD of the qword
; | 0x8000000000000000 is -2^63; FNSTSW, masked to C3 C2 C0, gives C2 (0x400); the value
; | stored back as a single is -2^63 (0xdf000000). FNCLEX clears the exception flags at
; | the end (PE, which the processor sets for inexact results, is not checked). The host
; | CPU agrees (native oracle).
    fld1
    fild dword ptr [0x18000]
    fyl2x
    fistp dword ptr [0x18004]
    fld1
    fchs
    f2xm1
    fstp dword ptr [0x18008]
    fldz
    fptan
    fstp dword ptr [0x1800c]
    fstp dword ptr [0x18010]
    fild qword ptr [0x18014]
    fsin
    fnstsw ax
    and eax, 0x4500
    fstp dword ptr [0x18020]
    fnclex
