; PUSHFD at CPL3 reveals IF=1 and IOPL 0; POPFD at CPL3 silently keeps IF and IOPL and changes only the status flags
; mode: user32
; expect-exceptions: none
; SDM vol. 2 POPF: CPL 3 > IOPL 0: IF and IOPL are not changed and no
; exception is raised. Pushed 0x38d7 = IOPL 3, OF SF ZF AF PF CF, IF 0;
; result 0x202 with the status flags = 0xad7.
; expect: ebx=0x202 ecx=0xad7 eflags=0xad7 if=1 iopl=0 of=1 sf=1 zf=1 af=1 pf=1 cf=1 cs=0x1b
    pushfd
    pop ebx
    push dword 0x38d7
    popfd
    pushfd
    pop ecx
