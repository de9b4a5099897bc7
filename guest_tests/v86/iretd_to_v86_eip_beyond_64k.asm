; IRETD to virtual-8086 mode with an EIP beyond 0xFFFF is #GP(0) at the IRETD, which leaves the stack and every register as they were
; mode: pm32
; on-exception: resume
; expect-exceptions: 13/0@back
; expect: esp=0x1ffcc cs=0x8 ss=0x10 ds=0x10 vm=0
; | SDM vol. 2 IRET, RETURN-TO-VIRTUAL-8086-MODE: "IF instruction pointer not within code
; | segment limits THEN #GP(0)", the limit of a virtual-8086 code segment being 0xFFFF.
; | The fault is taken at CPL 0 before any state changes: ESP still points at the
; | 36-byte frame (0x1fff0 - 36 = 0x1ffcc), the segments are the kernel's; the handler
; | resumes after the IRETD, where the body ends.
    push dword 0
    push dword 0
    push dword 0
    push dword 0
    push dword 0x2000
    push dword 0xfff0
    push dword 0x23002
    push dword 0x1000
    push dword 0x10000
back:
    iretd
