; IN and OUT at CPL0 with IOPL 0 reach any port (CPL <= IOPL: no I/O bitmap check)
; mode: pm32
; port-in: 0x60=0x1c
; port-in: 0x71=0x12345678
; regs: eax=0xab
; expect-exceptions: none
; expect-ports: 0x80=0xab 0x70=0x8f
; expect: ebx=0x1c ecx=0x12345678 iopl=0
    out 0x80, al
    in al, 0x60
    movzx ebx, al
    mov al, 0x8f
    out 0x70, al
    in eax, 0x71
    mov ecx, eax
