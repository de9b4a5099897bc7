; The x87 state of user code survives the traps between its instructions (INT3 to the kernel's handler and back), on every engine; on de+bt it crosses between the backend and the translator
; mode: user32
; on-exception: resume
; | Expectation: the host CPU (native oracle); 1 + pi and the status word worked by hand
; | (TOP 7 after the pops, PE set by the inexact sum).
; compare: 0x18100 32
; expect: mem16[0x18110]=0x3820
; expect-exceptions: 3/-@after
    fld1
    fldpi
    int3
after:
    faddp st(1), st(0)
    fld st(0)
    mov eax, [0x19000]
    fstp tbyte ptr [0x18100]
    fnstsw word ptr [0x18110]
