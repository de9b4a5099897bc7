; At IOPL 3 a virtual-8086 task runs CLI, STI, PUSHF, POPF and IRET as in real mode, except that POPF and IRET cannot change IOPL; far CALL and RETF load CS as selector * 16
; mode: pm32
; expect-exceptions: none
; expect: eax=0x3002 ebx=0x3202 ecx=0x3002 edx=0x1000 esi=0x1001 edi=0x3002
; expect: cs=0x1000 ss=0x2000 esp=0xfff0 vm=1 iopl=3 if=0
; | IRETD to virtual-8086 mode with IOPL 3 and IF clear (EFLAGS 0x23002), segments
; | CS 0x1000, SS:SP 0x2000:0xfff0. SDM vol. 2 PUSHF: the image has VM and RF clear, so
; | PUSHF after CLI gives 0x3002 (IOPL 3, bit 1) and after STI 0x3202. POPF of 0x0202
; | at CPL 3 in virtual-8086 mode: IOPL is not changed (vol. 2 POPF), IF is (CPL <= IOPL),
; | so the next PUSHF gives 0x3202; then IRET (16-bit) pops IP, CS and FLAGS 0x0002,
; | which clears IF and again keeps IOPL 3 (vol. 2 IRET, RETURN-FROM-VIRTUAL-8086-MODE):
; | PUSHF gives 0x3002. A far CALL to 0x1001:far_target - 0x10010 reaches the same
; | linear address through CS 0x1001 (SI), and RETF returns to CS 0x1000 (DX).
    push dword 0
    push dword 0
    push dword 0
    push dword 0
    push dword 0x2000
    push dword 0xfff0
    push dword 0x23002
    push dword 0x1000
    push dword v86 - 0x10000
    iretd
.code16
v86:
    cli
    pushf
    pop ax
    sti
    pushf
    pop bx
    push word 0x0202
    popf
    pushf
    pop di
    cmp di, 0x3202
    jne bad
    push word 0x0002
    push cs
    push word after_iret - 0x10000
    iret
after_iret:
    pushf
    pop cx
    pushf
    pop di
    .byte 0x9a
    .word far_target - 0x10010
    .word 0x1001
    mov dx, cs
    jmp done
far_target:
    mov si, cs
    retf
bad:
    mov di, 0xbad
done:
