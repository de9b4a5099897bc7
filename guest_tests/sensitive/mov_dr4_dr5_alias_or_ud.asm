; MOV DR4/DR5 reach DR6/DR7 with CR4.DE clear and raise #UD with it set
; mode: pm32
; on-exception: resume
; regs: ebx=0x11 ecx=0x22
; expect: eax=0xffff0ff0 edx=0x400 esi=0x400 ebx=0x11 ecx=0x22
; expect-exceptions: 6@ud1 6@ud2
;
; Intel SDM vol. 3B section 18.2.2: with debug extensions off, DR4 and DR5 are aliases of DR6
; and DR7; with CR4.DE = 1 a MOV that names them is #UD (vol. 2 MOV to/from debug
; registers). DR6 and DR7 hold their power-up values 0xFFFF0FF0 and 0x400; writing 0x400
; to DR5 writes DR7. Found by `conformance fuzz`: the VMM read a separate DR4 with CR4.DE
; set instead of raising #UD (Unicorn agrees with the SDM).
    mov eax, dr4
    mov edx, 0x400
    mov dr5, edx
    mov esi, dr7
    mov edi, cr4
    or edi, 0x8
    mov cr4, edi
ud1: mov ebx, dr4
ud2: mov dr5, ecx
    xor edi, edi
    mov cr4, edi
