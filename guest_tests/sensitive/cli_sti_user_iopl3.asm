; CLI and STI at CPL3 with IOPL 3 are allowed and change IF
; mode: user32
; regs: eflags=0x3202
; expect-exceptions: none
; SDM vol. 2 CLI/STI: CPL <= IOPL: IF changes.
; expect: ebx=0x3002 ecx=0x3202 if=1 iopl=3 cs=0x1b
    cli
    pushfd
    pop ebx
    sti
    pushfd
    pop ecx
