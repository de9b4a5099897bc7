; At CPL3 with IOPL 3 the I/O bitmap is not consulted: OUT 0x80 and IN 0x60 work
; mode: user32
; regs: eflags=0x3202 eax=0x77
; port-in: 0x60=0x1c
; SDM vol. 1 19.5.1: CPL <= IOPL allows all I/O without the bitmap.
; expect-exceptions: none
; expect-ports: 0x80=0x77
; expect: eax=0x1c iopl=3 cs=0x1b
    out 0x80, al
    in al, 0x60
    movzx eax, al
