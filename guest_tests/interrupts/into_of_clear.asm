; INTO with OF=0 does nothing
; mode: user32
; regs: eax=1
; on-exception: resume
; expect-exceptions: none
; expect: eax=2 ebx=1 of=0 cs=0x1b
    add eax, 1
    into
    mov ebx, 1
