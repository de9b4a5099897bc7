; FCMOVcc copies ST(i) to ST(0) when its condition (B E BE U and their negations) holds on EFLAGS
; mode: pm32
; | Expectation: the host CPU (native oracle); worked by hand: CF=1 ZF=0 PF=0 after the CMP.
; compare: 0x18100 96
; expect: mem32[0x18100]=0x40000000 mem32[0x18104]=0x3f800000
    fninit
    fld1                             ; st1 = 1
    fldz                             ; st0 = 0
    fld1
    fadd st(0), st(0)                ; st0 = 2, st1 = 0, st2 = 1
    mov eax, 1
    cmp eax, 2                       ; CF=1 ZF=0
    fcmovb st(0), st(2)              ; taken: st0 = 1
    fcmove st(0), st(1)              ; not taken
    fcmovbe st(0), st(1)             ; taken: 0
    fcmovu st(0), st(2)              ; PF? 1 - 2 = 0xffffffff: PF = 1, taken: 1
    fcmovnb st(0), st(1)             ; not taken
    fcmovne st(0), st(1)             ; taken: 0
    fcmovnbe st(0), st(2)            ; not taken
    fcmovnu st(0), st(2)             ; not taken
    fstp dword ptr [0x18108]
    fld1
    fadd st(0), st(0)
    fstp dword ptr [0x18100]
    fstp dword ptr [0x1810c]
    fstp dword ptr [0x18104]
    fnstsw ax
    mov [0x18110], ax
