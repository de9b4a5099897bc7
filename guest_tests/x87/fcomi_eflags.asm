; FCOMI/FCOMIP/FUCOMI/FUCOMIP set ZF, PF and CF (and clear OF, SF and AF) from the comparison
; mode: pm32
; | Expectation: the host CPU (native oracle); worked by hand from SDM vol. 2 FCOMI (greater: all
; | clear; less: CF; equal: ZF; unordered: ZF PF CF).
; data: 0x18000 dd 0x3f800000 0x40000000 0x7fc00000
; compare: 0x18100 32
; expect: mem32[0x18100]=0x01 mem32[0x18104]=0x00 mem32[0x18108]=0x40 mem32[0x1810c]=0x45
    fninit
    fld dword ptr [0x18004]          ; 2
    fld dword ptr [0x18000]          ; 1, 2
    mov eax, 0x7fffffff
    add eax, 1                       ; OF and SF set, to be cleared
    fcomi st(0), st(1)               ; less
    pushfd
    pop eax
    and eax, 0x8d5
    mov [0x18100], eax
    fxch st(1)
    fucomi st(0), st(1)              ; greater
    pushfd
    pop eax
    and eax, 0x8d5
    mov [0x18104], eax
    fld st(0)
    fcomip st(0), st(1)              ; equal, one pop
    pushfd
    pop eax
    and eax, 0x8d5
    mov [0x18108], eax
    fld dword ptr [0x18008]
    fucomip st(0), st(1)             ; unordered, quietly
    pushfd
    pop eax
    and eax, 0x8d5
    mov [0x1810c], eax
    fnstsw ax
    mov [0x18110], ax
