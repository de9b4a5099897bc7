; A store that rewrites an instruction a few instructions further on, in straight-line
; code with no jump between, is seen (SDM Vol. 3, 11.6): ADD EAX, imm8 is 83 C0 ib, so
; its immediate is at +2; 1 + 5 = 6
; mode: pm32
; expect: eax=6 ecx=3
    mov eax, 1
    mov ecx, 3
    mov byte ptr [later + 2], 5
    nop
    nop
later:
    add eax, 1
