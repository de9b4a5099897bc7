; In virtual-8086 mode every segment has a 64 KiB limit: a 32-bit offset of 0xFFFF reads the segment's last byte, 0x10000 is #GP(0)
; mode: pm32
; data: 0x2ffff db 0x5a
; expect-exceptions: 13/0@0x37
; expect: eax=0x5a
; | IRETD to virtual-8086 mode at IOPL 3, DS = SS = 0x2000. SDM vol. 3A 20.1.1: the
; | segment limit is 0xFFFF, checked as in real mode. MOV EBX, 0xffff (IP 0x2e, 6 bytes)
; | and MOV AL, [EBX] (0x34) read linear 0x2ffff; MOV CL, [EBX+1] at IP 0x37 is #GP(0).
    push dword 0
    push dword 0
    push dword 0x2000
    push dword 0
    push dword 0x2000
    push dword 0xfff0
    push dword 0x23002
    push dword 0x1000
    push dword v86 - 0x10000
    iretd
.code16
v86:
    mov ebx, 0xffff
    mov al, byte ptr [ebx]
    mov cl, byte ptr [ebx+1]
