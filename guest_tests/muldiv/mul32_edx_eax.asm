; 32-bit MUL: a product above 2^32 sets CF=OF (memory form); one that fits clears them and zeroes EDX
; mode: pm32
; regs: eax=0x12345678 ebx=0xffff edx=0x11111111
; data: 0x18000 dd 0x10000
; expect: esi=0x1234 edi=0x56780000 cl=1 eax=0xffff0000 edx=0 cf=0 of=0
    mul dword ptr [0x18000]
    mov esi, edx
    mov edi, eax
    setc cl
    mov eax, 0x10000
    mul ebx
