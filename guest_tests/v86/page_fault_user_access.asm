; Paging applies in virtual-8086 mode, at CPL 3: a read of a supervisor page is #PF with error code 5 (present, read, user) and CR2 the linear address
; mode: pm32-paged
; expect-exceptions: 14/5@0x2e
; expect: cr2=0x8100
; | IRETD to virtual-8086 mode at IOPL 3 with DS 0x800 (base 0x8000). The runtime maps
; | pages below 0x10000 as supervisor. SDM vol. 3A 20.2.4 and 4.7: virtual-8086 code runs
; | at CPL 3, so MOV AX, [0x100] at IP 0x2e (linear 0x8100) is #PF(5) with CR2 0x8100.
    push dword 0
    push dword 0
    push dword 0x800
    push dword 0
    push dword 0x2000
    push dword 0xfff0
    push dword 0x23002
    push dword 0x1000
    push dword v86 - 0x10000
    iretd
.code16
v86:
    mov ax, word ptr [0x100]
