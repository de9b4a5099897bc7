; CWDE sign-extends AX into EAX, CDQ EAX into EDX:EAX; a positive value gives EDX=0
; mode: pm32
; regs: eax=0x12348000 edx=0x11112222 ecx=0x00007fff
; expect: eax=0xffff8000 edx=0xffffffff ecx=0x00007fff ebx=0
    cwde
    cdq
    xchg eax, ecx
    cwde
    mov ebx, edx
    cdq
    mov ebx, edx
    xchg eax, ecx
