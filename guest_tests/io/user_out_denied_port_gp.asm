; At CPL3 with IOPL 0, OUT to port 0x80 (set in the TSS I/O bitmap) raises #GP(0) and writes nothing
; mode: user32
; regs: eax=0x12
; SDM vol. 1 19.5.2 and vol. 2 OUT: CPL > IOPL and the port's bitmap bit is 1:
; #GP(0), a fault at the OUT; no port write happens.
; expect-exceptions: 13/0@bad
; expect-ports: none
; expect: exit=exception eax=0x12 cs=0x08
bad:
    out 0x80, al
    mov eax, 0
