; At CPL3 with IOPL 0, OUT/IN to port 0xE9 (clear in the TSS I/O bitmap) are allowed
; mode: user32
; expect-exceptions: none
; SDM vol. 1 19.5.2: CPL 3 > IOPL 0, so the I/O bitmap decides; bit 0xE9 is 0.
; expect-debug: U
; expect-ports: 0xe9=0x55
; expect: eax=0xe9 cs=0x1b iopl=0
    mov al, 0x55
    out 0xe9, al
    mov dx, 0xe9
    in al, dx
    movzx eax, al
