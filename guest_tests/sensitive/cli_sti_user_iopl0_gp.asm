; CLI and STI at CPL3 with IOPL 0 raise #GP(0); IF stays 1
; mode: user32
; on-exception: resume
; SDM vol. 2 CLI/STI: protected mode, CPL > IOPL, CR4.PVI = 0: #GP(0), a fault.
; expect-exceptions: 13/0@c 13/0@s
; expect: ebx=2 if=1 iopl=0 cs=0x1b
c:
    cli
    inc ebx
s:
    sti
    inc ebx
