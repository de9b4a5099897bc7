; The x87 at CPL 3 (user32): loads, arithmetic, a loop of FADD and stores, as a user process runs them
; mode: user32
; | Expectation: the host CPU (native oracle); on de+bt this runs directly on the backend.
; data: 0x18000 dd 0x3fc00000 0x40000000
; compare: 0x18100 32
; expect: mem32[0x18100]=0x40600000
    fld dword ptr [0x18000]
    fadd dword ptr [0x18004]
    fst dword ptr [0x18100]
    mov ecx, 20
again:
    fadd st(0), st(0)
    dec ecx
    jnz again
    fistp qword ptr [0x18104]
    fld1
    fldpi
    fcomip st(0), st(1)
    fstp qword ptr [0x1810c]
