; CWDE sign-extends AX into EAX, CDQ EAX into EDX:EAX; a positive value gives EDX=0
; mode: pm32
; regs: eax=0x12348000 edx=0x11112222 ecx=0x00007fff
; expect: esi=0xffffffff ecx=0xffff8000 eax=0x00007fff edx=0
    cwde
    cdq
    mov esi, edx
    xchg eax, ecx
    cwde
    cdq
