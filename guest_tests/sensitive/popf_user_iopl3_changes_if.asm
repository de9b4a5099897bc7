; POPFD at CPL3 with IOPL 3 changes IF but still not IOPL
; mode: user32
; regs: eflags=0x3202
; expect-exceptions: none
; SDM vol. 2 POPF: CPL > 0 keeps IOPL; CPL <= IOPL lets IF change. POPFD 0x2
; gives 0x3002; POPFD 0x0202 gives 0x3202 again.
; expect: ebx=0x3202 ecx=0x3002 edx=0x3202 eflags=0x3202 iopl=3 if=1
    pushfd
    pop ebx
    push dword 0x2
    popfd
    pushfd
    pop ecx
    push dword 0x0202
    popfd
    pushfd
    pop edx
