; CLI at CPL3 with IOPL 0 raises #GP(0) and leaves IF set
; mode: user32
; on-exception: resume
; SDM vol. 2 CLI: protected mode, CPL > IOPL, CR4.PVI = 0: #GP(0).
; expect-exceptions: 13/0@bad
; expect: if=1 iopl=0 cs=0x1b ebx=1
bad:
    cli
    mov ebx, 1
