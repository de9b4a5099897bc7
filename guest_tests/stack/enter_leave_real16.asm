; Real mode ENTER 6,1 pushes BP and the frame pointer as words and sets only BP; LEAVE restores SP and BP
; mode: real16
; regs: ebp=0x1234abcd
; expect: eax=0xffe6 ebx=0xffee ebp=0x1234abcd esp=0xfff0
; expect: mem16[0x1ffee]=0xabcd mem16[0x1ffec]=0xffee mem16[0x1ffea]=0x4444
; | enter 6,1 (16-bit operand and stack size): push BP (0xABCD) at FFEE; FrameTemp=0xFFEE;
; | push FrameTemp at FFEC; BP=0xFFEE (EBP=0x1234FFEE); SP=0xFFEC-6=0xFFE6
; | [bp-4] is SS:FFEA (linear 0x1FFEA); leave: SP=BP=0xFFEE; pop BP=0xABCD -> EBP=0x1234ABCD, SP=0xFFF0
    enter 6, 1
    mov ax, sp
    mov bx, bp
    mov word ptr [bp - 4], 0x4444
    leave
