; LOOP decrements ECX and jumps while ECX != 0 without touching flags; ECX=1 falls through once
; mode: pm32
; regs: ecx=5
; expect: eax=15 ecx=0 edx=1
; expect: zf=0 cf=0 sf=0 of=0 af=0 pf=0
; | EAX = 5+4+3+2+1; the last ADD (14+1 = 15) leaves ZF=0, which LOOP reaching ECX=0 does not change
; | ECX=1: body once, LOOP makes ECX=0 and falls through; INC EDX 0->1: ZF=0 PF=0 AF=0, CF from the ADD (0)
    mov eax, 0
top:
    add eax, ecx
    loop top
    mov ecx, 1
    mov edx, 0
once:
    inc edx
    loop once
