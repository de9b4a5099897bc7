; CBW and CWD in real mode (16-bit operand size): only AX and DX are written, upper halves kept
; mode: real16
; regs: eax=0x12345680 edx=0x11112222
; expect: eax=0x1234ff80 edx=0x1111ffff
    cbw
    cwd
