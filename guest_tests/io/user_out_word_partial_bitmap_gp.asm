; At CPL3, a word OUT to port 0xE9 also needs port 0xEA's bitmap bit clear: #GP(0)
; mode: user32
; regs: eax=0x4142
; on-exception: resume
; SDM vol. 1 19.5.2: a multi-byte access checks every byte's bit; 0xE9 is
; allowed but 0xEA is not, so OUT 0xE9, AX faults; the byte OUT after it works.
; expect-exceptions: 13/0@bad
; expect-ports: 0xe9=0x42
; expect-debug: B
; expect: eax=0x4142
bad:
    out 0xe9, ax
    out 0xe9, al
