; At CPL3 with IOPL 0, IN from port 0x60 (set in the TSS I/O bitmap) raises #GP(0); with resume EAX keeps its value
; mode: user32
; regs: eax=0x11223344 edx=0x60
; port-in: 0x60=0x1c
; on-exception: resume
; SDM vol. 1 19.5.2 and vol. 2 IN: #GP(0), no read; then OUT to the allowed
; 0xE9 still works.
; expect-exceptions: 13/0@bad
; expect-ports: 0xe9=0x44
; expect: eax=0x11223344 cs=0x1b
bad:
    in al, dx
    out 0xe9, al
