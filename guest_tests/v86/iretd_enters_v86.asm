; IRETD at CPL 0 with VM in the popped EFLAGS enters virtual-8086 mode: CS:IP, SS:ESP and ES, DS, FS, GS from the stack, each a selector * 16 with a 64 KiB limit
; mode: pm32
; data: 0x18004 dw 0x1234
; data: 0x18006 dw 0x4321
; data: 0x2fff0 dd 0x55667788
; expect-exceptions: none
; expect: cs=0x1000 ss=0x2000 ds=0x1800 es=0x1801 fs=0x1000 gs=0x1803
; expect: eax=0x1234 ebx=0x1000 ecx=0x2000 edx=0x7788 esi=0x4321 edi=0x5566 ebp=0x1234 esp=0xfff0
; expect: vm=1 iopl=3 if=1 eflags=0x23202
; | SDM vol. 2 IRET, RETURN-TO-VIRTUAL-8086-MODE: after EIP, CS and EFLAGS (VM set, at
; | CPL 0) the processor pops ESP, SS, ES, DS, FS and GS, a dword each, loads all of
; | EFLAGS and runs at CPL 3, each segment based at selector * 16 (vol. 3A 20.1.1).
; | In virtual-8086 mode: AX = [ds:4] = linear 0x18004 = 0x1234; BX = CS; CX = SS;
; | DX, DI = the two words at SS:SP = 0x2fff0; SI = fs:[0x8006] = linear 0x18006 = 0x4321;
; | BP = es:[0xfff4] = linear 0x18010 + 0xfff4 = 0x28004, where the body stores AX first.
    push dword 0x1803
    push dword 0x1000
    push dword 0x1800
    push dword 0x1801
    push dword 0x2000
    push dword 0xfff0
    push dword 0x23202
    push dword 0x1000
    push dword v86 - 0x10000
    iretd
.code16
v86:
    mov ax, word ptr [4]
    mov bx, cs
    mov cx, ss
    pop dx
    pop di
    push di
    push dx
    mov si, word ptr fs:[0x8006]
    mov word ptr es:[0xfff4], ax
    mov bp, word ptr es:[0xfff4]
