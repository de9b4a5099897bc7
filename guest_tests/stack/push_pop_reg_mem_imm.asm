; PUSH/POP of registers, immediates (imm32 and sign-extended imm8), memory, and a 16-bit PUSH/POP in 32-bit code
; mode: pm32
; regs: eax=0x11223344 ebx=0xaaaa0000
; data: 0x18000 dd 0xcafebabe 0
; expect: ebx=0xaaaa3344 ecx=0xffffff80 edx=0x55667788 esi=0x11223344 esp=0x1fff0
; expect: mem32[0x18004]=0xcafebabe
; expect: mem32[0x1ffec]=0x11223344 mem32[0x1ffe8]=0x55667788 mem32[0x1ffe4]=0xffffff80
; expect: mem32[0x1ffe0]=0xcafebabe mem16[0x1ffde]=0x3344
; | push eax -> 0x1FFEC; push 0x55667788 -> 0x1FFE8; 6A 80 (push -128) -> 0xFFFFFF80 at 0x1FFE4
; | push [0x18000] -> 0x1FFE0; push ax (66 50) -> ESP-2: 0x3344 at 0x1FFDE
; | pop bx (16-bit, upper EBX kept); pop [0x18004]; pop ecx; pop edx; pop esi -> ESP back to 0x1FFF0
    push eax
    push dword 0x55667788
    .byte 0x6a, 0x80
    push dword ptr [0x18000]
    push ax
    pop bx
    pop dword ptr [0x18004]
    pop ecx
    pop edx
    pop esi
