; Real mode IRET (16-bit frame) and IRETD (32-bit frame, EFLAGS masked) to another segment
; mode: real16
; expect: bx=0x0cd7 dx=0x0fff cs=0x1000 esp=0xfff0 eflags=0x08d7
; expect-exceptions: none
;
; IRET pops IP = target1 + 0x10, CS = 0x0fff (the same linear bytes), FLAGS = 0x0cd5:
; FLAGS becomes 0x0cd7 (bit 1 is always 1): CF PF AF ZF SF DF OF set.
; IRETD pops EIP, CS (upper 16 bits of the slot ignored), then in real mode
; EFLAGS = (pop AND 0x257fd5) OR (EFLAGS AND 0x1a0000) (SDM vol. 2 IRET): 0xffc008d5
; keeps 0x08d5, so EFLAGS = 0x08d7 (DF now clear). SP returns to 0xfff0.
    push word 0x0cd5
    push word 0x0fff
    push word target1+0x10
    iret
target1:
    pushf
    pop bx
    mov dx, cs
    push dword 0xffc008d5
    push dword 0xabcd1000
    push dword target2
    iretd
target2:
    nop
