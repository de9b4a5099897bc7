; CLI and STI at CPL0 clear and set IF
; mode: pm32
; regs: eflags=0x202
; expect-exceptions: none
; expect: ebx=0x2 ecx=0x202 if=1 iopl=0
    cli
    pushfd
    pop ebx
    sti
    pushfd
    pop ecx
