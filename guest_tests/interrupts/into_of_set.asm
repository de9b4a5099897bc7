; INTO with OF=1 raises #OF (vector 4) as a trap through the DPL-3 gate
; mode: user32
; regs: eax=0x7fffffff
; on-exception: resume
; 0x7fffffff + 1 = 0x80000000: OF=1 SF=1 ZF=0 CF=0. INTO traps to vector 4
; with EIP after it; IRETD restores the flags.
; expect-exceptions: 4/-@after
; expect: eax=0x80000000 ebx=1 of=1 sf=1 zf=0 cf=0 cs=0x1b
    add eax, 1
    into
after:
    mov ebx, 1
