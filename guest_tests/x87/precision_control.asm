; Precision control rounds register results to 24, 53 or 64 bits (the extended exponent range kept), with PE and C1; the halfway cases round to even
; mode: pm32
; | Expectation: the host CPU (native oracle); 1 + 2^-24 at PC 24 is a tie and rounds to 1.0,
; | 1 + 3 * 2^-25 rounds up (worked by hand, SDM vol. 1 8.1.5.2).
; data: 0x18000 dd 0x3f800000 0x33800000 0x33c00000 0x25800000
; data: 0x18010 dw 0x007f 0x027f 0x037f 0x0c7f
; compare: 0x18100 96
    fninit
    mov esi, 0x18010
    mov edi, 0x18100
    mov ecx, 4
next:
    fldcw word ptr [esi]
    fld dword ptr [0x18000]
    fadd dword ptr [0x18004]         ; 1 + 2^-24
    fnstsw ax
    mov [edi], ax
    fstp tbyte ptr [edi + 2]
    fld dword ptr [0x18000]
    fadd dword ptr [0x18008]         ; 1 + 1.5 * 2^-24
    fnstsw ax
    mov [edi + 12], ax
    fstp tbyte ptr [edi + 14]
    fld dword ptr [0x18000]
    fmul dword ptr [0x1800c]
    fdiv dword ptr [0x18008]
    fstp tbyte ptr [edi + 24]
    fnclex
    add esi, 2
    add edi, 34
    dec ecx
    jnz next
