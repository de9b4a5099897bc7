; MOV r32, CS at CPL3 shows RPL 3 (the CPL leaks to an unprivileged read); PUSH/POP of segment registers work with user selectors
; mode: user32
; regs: eax=0xffffffff ebx=0xffffffff ecx=0xffffffff
; expect-exceptions: none
; Robin & Irvine: PUSH CS / MOV r, CS reveal the CPL in the RPL field. POP ES
; of DS's 0x23 is allowed; POP FS of 0x1b (readable code, DPL 3) is allowed
; too (SDM vol. 2 MOV/POP: readable code may go into DS, ES, FS, GS).
; expect: eax=0x1b ebx=0x23 ecx=0x1b edx=0x1ffec es=0x23 fs=0x1b esp=0x1fff0 cs=0x1b
    mov eax, cs
    mov ebx, ss
    push cs
    mov edx, esp
    movzx ecx, word ptr [esp]
    pop esi
    push ds
    pop es
    push dword 0x1b
    pop fs
