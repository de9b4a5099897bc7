; x87 memory operands with 16-bit addressing in a 16-bit code segment, and the 16-bit FNSTSW/FNSTCW forms
; mode: pm16
; | Expectation: the host CPU (native oracle).
; data: 0x18000 dd 0x3fc00000 0x40000000
; compare: 0x18100 32
; expect: mem32[0x18100]=0x40600000
    mov bx, 0x8000
    mov si, 4
    fninit
    fld dword ptr [bx]
    fadd dword ptr [bx + si]
    fst dword ptr [bx + 0x100]
    fild word ptr [bx + si + 2]
    fistp word ptr [bx + 0x104]
    fnstsw [bx + 0x106]
    fnstcw [bx + 0x108]
    fstp qword ptr [bx + 0x110]
