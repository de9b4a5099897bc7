; 16-bit DIV by zero in real mode raises #DE through the IVT at the DIV; with resume the next instruction runs
; mode: real16
; regs: eax=0x1234 edx=0x5678 ecx=0
; on-exception: resume
; expect: exit=end ax=0x1234 dx=0x5678 ebx=2
; expect-exceptions: 0/-@fault
fault:
    div cx
    mov ebx, 2
