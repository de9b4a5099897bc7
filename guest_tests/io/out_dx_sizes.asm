; OUT DX with AL, AX and EAX reaches ports above 0xFF
; mode: pm32
; regs: eax=0xcafebabe edx=0x3f8
; expect-exceptions: none
; expect-ports: 0x3f8=0xbe 0x3f8=0xbabe 0x3f8=0xcafebabe 0xcf8=0x80001234
; expect: eax=0x80001234 edx=0xcf8
    out dx, al
    out dx, ax
    out dx, eax
    mov dx, 0xcf8
    mov eax, 0x80001234
    out dx, eax
