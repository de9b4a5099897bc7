; Real mode: PUSH at SP=0 wraps to 0xFFFE, PUSH SP stores SP before the decrement, 0x66 PUSH is 4 bytes, 6A imm8 is sign-extended
; mode: real16
; regs: eax=0x12345678 esp=0
; expect: ebx=0xfffe ecx=0x12345678 edx=0xfffe esi=0x5678 esp=0
; expect: mem16[0x1fffe]=0x5678 mem16[0x1fffc]=0xfffe mem32[0x1fff8]=0x12345678 mem16[0x1fff6]=0xfffe
; | push ax: SP 0 -> 0xFFFE, SS:FFFE = linear 0x1FFFE; push sp: stores 0xFFFE at 0xFFFC (286+ behaviour)
; | push eax (66 50): 0xFFF8; 6A FE: push -2 as a word at 0xFFF6
; | pop bx (0xFFFE), pop ecx, pop dx (the pushed SP), pop si (AX): SP 0xFFFE + 2 wraps to 0
    push ax
    push sp
    push eax
    .byte 0x6a, 0xfe
    pop bx
    pop ecx
    pop dx
    pop si
