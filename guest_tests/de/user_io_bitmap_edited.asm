; At CPL 3 with IOPL 0 the TSS I/O bitmap decides: the kernel allows port 0x80; OUT to 0x80, 0xE9 works, OUT to 0x81, 0x61 and a word OUT to 0x80 (needs 0x81 too) raise #GP(0)
; mode: pm32-paged
; on-exception: resume
; regs: eax=0x12
; expect-exceptions: 13/0@deny_81 13/0@deny_61 13/0@deny_word
; expect-ports: 0x80=0x12 0xe9=0x3f 0x80=0x78
; expect-debug: ?
; expect: eax=0x5678 edx=0x80 cs=0x1b ss=0x23 esp=0x1f000 iopl=0 if=1 mem8[0x778]=0xfe
; | The runtime's TSS (0x700) has its I/O bitmap at offset 0x68: ports 0x80-0x87 are the
; | byte at 0x768 + 0x80/8 = 0x778, all ones (denied). The kernel clears bit 0 (port 0x80)
; | and IRETDs to CPL 3 with EFLAGS 0x202 (IOPL 0).
; | SDM vol. 1 19.5.2, vol. 2 OUT: CPL 3 > IOPL 0, so every bit for the bytes accessed must
; | be 0, else #GP(0) (a fault: the saved EIP is the OUT, nothing is written; the recording
; | handler resumes after it).
; |   OUT 0x80, AL: bit clear -> writes 0x12.
; |   OUT 0xE9, AL: the runtime allows 0xE9 -> writes 0x3f ('?').
; |   OUT 0x81, AL: bit set -> #GP(0).
; |   OUT DX=0x61, AL: bit set -> #GP(0).
; |   OUT DX=0x80, AX: ports 0x80 and 0x81; 0x81 is denied -> #GP(0).
; |   OUT DX=0x80, AL (EAX = 0x5678): writes 0x78.
    and byte ptr [0x778], 0xfe
    mov ax, 0x23
    mov ds, ax
    mov es, ax
    mov fs, ax
    mov gs, ax
    mov eax, 0x12
    push dword 0x23
    push dword 0x1f000
    push dword 0x202
    push dword 0x1b
    push dword user
    iretd

user:
    out 0x80, al
    mov al, 0x3f
    out 0xe9, al
    mov al, 0x34
deny_81:
    out 0x81, al
    mov edx, 0x61
deny_61:
    out dx, al
    mov edx, 0x80
    mov eax, 0x5678
deny_word:
    out dx, ax
    out dx, al
