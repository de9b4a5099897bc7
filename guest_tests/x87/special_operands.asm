; Unsupported encodings (pseudo-NaN, pseudo-infinity, unnormal) are invalid operands giving the real indefinite; denormal operands raise DE; SNaN and QNaN propagation; signed zeros; infinity arithmetic
; mode: pm32
; | Expectation: the host CPU (native oracle), the classes from SDM vol. 1 8.2.2 and table 4-7.
; data: 0x18000 dd 0 0x40000000
; data: 0x18008 dw 0x7fff
; data: 0x18010 dd 0 0x40000000
; data: 0x18018 dw 0x4000
; data: 0x18020 dd 1 0
; data: 0x18028 dw 0
; data: 0x18030 dd 0x7fa00000 0x7fe00000 0x80000000 0x7f800000
; compare: 0x18100 160
    fninit
    fld tbyte ptr [0x18000]          ; pseudo-infinity? (exponent 7fff, integer bit clear)
    fld1
    fadd st(0), st(1)
    fstp tbyte ptr [0x18100]
    fld tbyte ptr [0x18010]          ; unnormal
    fmul st(0), st(0)
    fstp tbyte ptr [0x1810a]
    fnstsw ax
    mov [0x18114], ax
    fnclex
    fld tbyte ptr [0x18020]          ; the smallest extended denormal
    fld1
    fmul st(0), st(1)
    fnstsw ax
    mov [0x18116], ax
    fstp tbyte ptr [0x18118]
    fnclex
    fld dword ptr [0x18030]          ; SNaN: IE, quietened
    fld dword ptr [0x18034]          ; QNaN
    faddp st(1), st(0)
    fnstsw ax
    mov [0x18122], ax
    fstp tbyte ptr [0x18124]
    fld dword ptr [0x18038]          ; -0
    fldz
    faddp st(1), st(0)               ; -0 + +0 = +0 to nearest
    fstp tbyte ptr [0x1812e]
    fld dword ptr [0x1803c]          ; +inf
    fld st(0)
    fsubp st(1), st(0)               ; inf - inf: invalid, the indefinite
    fnstsw ax
    mov [0x18138], ax
    fstp tbyte ptr [0x1813a]
    fldz
    fld1
    fdivrp st(1), st(0)              ; 0 / 1
    fld1
    fdivrp st(1), st(0)              ; 1 / 0: ZE, +inf
    fnstsw ax
    mov [0x18144], ax
    fstp tbyte ptr [0x18146]
