; Real mode LOOP counts CX only (upper ECX kept); JCXZ tests CX, JECXZ (0x67) tests all of ECX
; mode: real16
; regs: ecx=0x00050003
; expect: eax=3 ecx=0x00050000 ebx=2
; | LOOP: CX 3 -> 0, AX=3, ECX=0x00050000; jcxz taken (skips +1); jecxz not taken (+2)
    mov ax, 0
top:
    inc ax
    loop top
    mov bx, 0
    jcxz z1
    or bx, 1
z1:
    jecxz z2
    or bx, 2
z2:
