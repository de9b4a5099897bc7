; IRETD at CPL0 to CPL0 pops EIP, CS, EFLAGS from a hand-built frame and leaves SS:ESP alone
; mode: pm32
; regs: eax=0x55
; expect-exceptions: none
; SDM vol. 2 IRET, RETURN-TO-SAME-PRIVILEGE-LEVEL: EIP, CS, EFLAGS popped
; (CPL 0: IF and IOPL may change). EFLAGS 0x38d7 = IOPL 3, OF, SF, ZF, AF,
; PF, CF, reserved bit 1; IF 0. ESP back to 0x1fff0 and SS unchanged.
; expect: eax=0x55 eflags=0x38d7 iopl=3 cf=1 pf=1 af=1 zf=1 sf=1 of=1 if=0 esp=0x1fff0 cs=0x08 ss=0x10 ebx=1
    push dword 0x38d7
    push dword 0x08
    push dword target
    iretd
    mov eax, 0xbad
target:
    mov ebx, 1
