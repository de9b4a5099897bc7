; LAR is not recognised in virtual-8086 mode: #UD
; mode: pm32
; expect-exceptions: 6/-@0x2e
; | SDM vol. 2 LAR, Virtual-8086 Mode Exceptions: #UD "The LAR instruction is not
; | recognized in virtual-8086 mode". IRETD to virtual-8086 mode at IOPL 3; LAR AX, BX at
; | IP 0x2e.
    push dword 0
    push dword 0
    push dword 0
    push dword 0
    push dword 0x2000
    push dword 0xfff0
    push dword 0x23002
    push dword 0x1000
    push dword v86 - 0x10000
    iretd
.code16
v86:
    lar ax, bx
