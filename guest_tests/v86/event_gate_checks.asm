; From virtual-8086 mode an INT n through a gate to a DPL 3 code segment is #GP(selector), reported at the INT: a gate may lead only to a non-conforming CPL 0 handler
; mode: pm32
; expect-exceptions: 13/0x18@0x58
; expect: ebx=0x5
; | The kernel writes a DPL 3 interrupt gate for vector 0x90 to 0x1b:handler (the runtime's
; | DPL 3 flat code segment) and IRETDs to virtual-8086 mode at IOPL 3 (CS 0x1000, code at
; | IP 0x55: linear 0x10055). SDM vol. 2 INT n, PROTECTED-MODE: the target code segment is
; | non-conforming with DPL 3 = CPL, and with VM = 1 that is #GP(new code-segment
; | selector): error code 0x18 (EXT = 0, a software interrupt). A fault while delivering an
; | INT n is reported at the INT (IP 0x58, after MOV BX, 5), which the runtime's #GP handler
; | (a DPL 0 gate, through which the exception itself is delivered) logs.
    mov eax, handler
    mov word ptr [0x800+0x90*8], ax
    mov word ptr [0x802+0x90*8], 0x1b
    mov word ptr [0x804+0x90*8], 0xee00
    shr eax, 16
    mov word ptr [0x806+0x90*8], ax
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
handler:
    iretd
.code16
v86:
    mov bx, 5
    int 0x90
