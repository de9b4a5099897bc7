; FCOM/FCOMP/FCOMPP, FUCOM/FUCOMP/FUCOMPP and FICOM/FICOMP: C3 C2 C0 for greater, less, equal and unordered; only FUCOM* accepts a QNaN quietly
; mode: pm32
; | Expectation: the host CPU (native oracle); the condition codes worked by hand from SDM vol. 2
; | FCOM table 3-21 (greater 000, less 001, equal 100, unordered 111, C1 cleared), TOP in bits 11-13.
; data: 0x18000 dd 0x3f800000 0x40000000 0x7fc00000 2
; compare: 0x18100 64
; expect: mem16[0x18100]=0x3000 mem16[0x18102]=0x3100 mem16[0x18104]=0x7000 mem16[0x18106]=0x6d00 mem16[0x18108]=0x7501
    fninit
    fld dword ptr [0x18004]          ; 2
    fld dword ptr [0x18000]          ; 1, 2
    fcom dword ptr [0x18000]         ; 1 vs 1: equal ... overwritten below
    fcom st(1)                       ; 1 vs 2: less
    fxch st(1)
    fcom st(1)                       ; 2 vs 1: greater
    fnstsw ax
    mov [0x18100], ax
    fxch st(1)
    fcom st(1)
    fnstsw ax
    mov [0x18102], ax
    ficom dword ptr [0x1800c]        ; 1 vs 2
    fcom dword ptr [0x18000]         ; 1 vs 1: equal
    fnstsw ax
    mov [0x18104], ax
    fld dword ptr [0x18008]          ; QNaN
    fucom st(1)                      ; unordered, no IE
    fnstsw ax
    mov [0x18106], ax
    fucomp st(1)
    fucompp                          ; 1 vs 2, then both popped
    fnstsw ax
    mov [0x1810a], ax
    fld dword ptr [0x18004]
    fld dword ptr [0x18008]
    fcom st(1)                       ; unordered and IE: a QNaN is invalid for FCOM
    fnstsw ax
    mov [0x18108], ax
    fcomp st(1)
    ficomp dword ptr [0x1800c]
    fnstsw ax
    mov [0x1810c], ax
    fld1
    fld1
    fcompp
    fnstsw ax
    mov [0x1810e], ax
    fld1
    fcomp dword ptr [0x18004]
    fnstsw ax
    mov [0x18110], ax
