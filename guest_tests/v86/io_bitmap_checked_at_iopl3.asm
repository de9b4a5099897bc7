; In virtual-8086 mode IN and OUT are checked against the TSS I/O permission bitmap even at IOPL 3: IN from port 0x80, whose bit is set, raises #GP(0)
; mode: pm32
; expect-exceptions: 13/0@0x32
; expect-ports: 0xe9=0x41
; | IRETD to virtual-8086 mode with IOPL 3 (EFLAGS 0x23002). SDM vol. 1 19.5.2 and vol. 3A
; | 20.2.8.1: in virtual-8086 mode the processor consults the I/O permission bitmap
; | whatever IOPL is. The runtime's bitmap allows only 0xE9 and 0xF4. The virtual-8086
; | code starts at IP 0x2e (linear 0x1002e, CS 0x1000): MOV AL and OUT 0xE9 pass, and
; | IN AL, 0x80 at IP 0x32 raises #GP(0), which the runtime's handler logs with that IP.
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
    mov al, 0x41
    out 0xe9, al
    in al, 0x80
