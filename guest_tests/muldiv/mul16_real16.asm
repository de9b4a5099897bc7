; 16-bit MUL in real mode: 0xffff * 0xffff = 0xfffe0001 in DX:AX, CF=OF=1; upper halves kept
; mode: real16
; regs: eax=0xaaaaffff ecx=0x0000ffff edx=0x55555555
; expect: eax=0xaaaa0001 edx=0x5555fffe ecx=0xffff cf=1 of=1
    mul cx
