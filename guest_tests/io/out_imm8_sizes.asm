; OUT imm8 with AL, AX and EAX writes a byte, a word and a dword to the port
; mode: pm32
; regs: eax=0x12345678
; expect-exceptions: none
; expect-ports: 0x80=0x78 0x80=0x5678 0x80=0x12345678 0x61=0x78
; expect: eax=0x12345678
    out 0x80, al
    out 0x80, ax
    out 0x80, eax
    out 0x61, al
