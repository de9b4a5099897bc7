; PUSHFD/POPFD at CPL0: POPFD loads IF and IOPL as well as the status flags
; mode: pm32
; expect-exceptions: none
; SDM vol. 2 POPF, protected mode CPL 0: all flags except VM, RF (cleared),
; VIP, VIF may change. Start 0x2; POPFD 0 gives 0x2 (bit 1 is always 1);
; POPFD 0x3ad7 sets IOPL 3, IF, OF, SF, ZF, AF, PF, CF.
; expect: ebx=0x2 ecx=0x2 edx=0x3ad7 eflags=0x3ad7 iopl=3 if=1 of=1 sf=1 zf=1 af=1 pf=1 cf=1 esp=0x1fff0
    pushfd
    pop ebx
    push dword 0
    popfd
    pushfd
    pop ecx
    push dword 0x3ad7
    popfd
    pushfd
    pop edx
