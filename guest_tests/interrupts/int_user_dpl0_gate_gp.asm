; INT 0x40 from CPL3 to a DPL-0 gate raises #GP(0x40*8+2) at the INT instruction
; mode: user32
; regs: eax=5
; SDM vol. 3A 6.12.1.1 and INT n: gate DPL 0 < CPL 3 for a software interrupt:
; #GP(vector*8 + 2) (IDT bit set, EXT 0) = 0x202, a fault: EIP of the INT. The
; handler logs CS 0x1b; the test stops in the ring-0 handler.
; expect-exceptions: 13/0x202@bad
; expect: exit=exception eax=5 ebx=7 cs=0x08 ss=0x10
; expect: mem32[0x341c]=0x1b
    mov ebx, 7
bad:
    int 0x40
    mov eax, 9
