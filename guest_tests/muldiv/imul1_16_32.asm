; One-operand IMUL: 16-bit 0x4000 * 2 = +32768 overflows DX:AX's low half (CF=1); 32-bit -2 * 3 sign-fills EDX
; mode: pm32
; regs: eax=0x4000 ebp=2 esi=3 edx=0x11112222 ecx=0
; expect: edi=0x11110000 ebx=0x00008000 cl=1 eax=0xfffffffa edx=0xffffffff cf=0 of=0
    imul bp
    setc cl
    mov edi, edx
    mov ebx, eax
    mov eax, -2
    imul esi
