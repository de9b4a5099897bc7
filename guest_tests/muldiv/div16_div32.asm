; 16-bit DIV by a memory word (DX:AX) and 32-bit DIV (EDX:EAX): quotient and remainder
; mode: pm32
; regs: edx=0x55551234 eax=0x66665678 ecx=0xfedcba98
; data: 0x18000 dw 0xfedc
; expect: esi=0x66661249 edi=0x555531bc eax=0x12492492 edx=0x51451440
    div word ptr [0x18000]
    mov esi, eax
    mov edi, edx
    mov edx, 0x12345678
    mov eax, 0x9abcdef0
    div ecx
