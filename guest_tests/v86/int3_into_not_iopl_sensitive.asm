; At IOPL 0 INT3 and INTO from virtual-8086 mode are not IOPL-sensitive: they go through their DPL 3 gates to the CPL 0 handler, which returns; INT n raises #GP(0)
; mode: pm32
; on-exception: resume
; expect-exceptions: 3/-@0x2f 4/-@0x38 13/0@0x38
; expect: eax=0x7f80 ebx=0x1
; | The runtime's IDT has DPL 3 interrupt gates for vectors 3 and 4 (to its CPL 0 recording
; | handler) and DPL 0 ones for the rest. IRETD to virtual-8086 mode with IOPL 0 (EFLAGS
; | 0x20002, CS 0x1000, code at IP 0x2e). SDM vol. 2 INT n, Operation: only INT n is
; | #GP(0) at IOPL < 3. INT3 (IP 0x2e) traps with EIP after it (0x2f); MOV BX (0x2f) and
; | MOV AX (0x32), then ADD AL, 1 (0x35) overflows 0x7f, so INTO at 0x37 traps with EIP
; | 0x38. The handler resumes a trap at its saved EIP. INT 0x21 at 0x38 raises #GP(0), a
; | fault outside the body's own addresses, which ends the test.
    push dword 0
    push dword 0
    push dword 0
    push dword 0
    push dword 0x2000
    push dword 0xfff0
    push dword 0x20002
    push dword 0x1000
    push dword v86 - 0x10000
    iretd
.code16
v86:
    int3
    mov bx, 1
    mov ax, 0x7f7f
    add al, 1
    into
    int 0x21
