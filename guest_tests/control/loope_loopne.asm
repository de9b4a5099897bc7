; LOOPE/LOOPNE end on ECX=0 or on ZF (cleared/set by the CMP in the loop), whichever comes first
; mode: pm32
; data: 0x18000 db 0 0 0 7 0 0 0 0
; data: 0x18010 db 5 6 7 0 9
; data: 0x18020 db 0 0 0
; data: 0x18100 dd 0xee 0xee 0xee 0xee 0xee 0xee
; expect: mem32[0x18100]=0x18003 mem32[0x18104]=4
; expect: mem32[0x18108]=0x18021 mem32[0x1810c]=0
; expect: mem32[0x18110]=0x18013 mem32[0x18114]=6
; expect: esi=0x18012 ecx=0 zf=0 cf=0
; | LOOPE over 0 0 0 7 (ECX=8): stops at 0x18003 on ZF=0 with ECX=4
; | LOOPE over 0 0 (ECX=2): runs out at 0x18021 with ECX=0
; | LOOPNE over 5 6 7 0 (ECX=10): stops at 0x18013 on ZF=1 with ECX=6
; | LOOPNE over 5 6 7 (ECX=3): runs out at 0x18012 with ECX=0, last CMP 7-0 (ZF=0 CF=0)
    mov esi, 0x17fff
    mov ecx, 8
l1:
    inc esi
    cmp byte ptr [esi], 0
    loope l1
    mov dword ptr [0x18100], esi
    mov dword ptr [0x18104], ecx
    mov esi, 0x1801f
    mov ecx, 2
l2:
    inc esi
    cmp byte ptr [esi], 0
    loope l2
    mov dword ptr [0x18108], esi
    mov dword ptr [0x1810c], ecx
    mov esi, 0x1800f
    mov ecx, 10
l3:
    inc esi
    cmp byte ptr [esi], 0
    loopne l3
    mov dword ptr [0x18110], esi
    mov dword ptr [0x18114], ecx
    mov esi, 0x1800f
    mov ecx, 3
l4:
    inc esi
    cmp byte ptr [esi], 0
    loopne l4
