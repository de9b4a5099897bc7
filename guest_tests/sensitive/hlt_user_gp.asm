; HLT at CPL3 raises #GP(0) at the HLT
; mode: user32
; regs: ebx=7
; SDM vol. 2 HLT: privileged, CPL != 0: #GP(0). The test stops in the ring-0
; handler with the user registers restored.
; expect-exceptions: 13/0@h
; expect: exit=exception ebx=7 cs=0x08 ss=0x10
h:
    hlt
    mov ebx, 0
