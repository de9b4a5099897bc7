; INT 0x80 at CPL0: no stack switch, the gate pushes EFLAGS, CS, EIP on the current stack
; mode: pm32
; regs: eax=0x11 esp=0x1fff0
; on-exception: resume
; SDM vol. 3A 6.12.1: same privilege level, no SS:ESP pushed; the frame is
; EFLAGS at ESP-4, CS at ESP-8, EIP (after the INT) at ESP-12. The handler logs
; CS 0x08 and EFLAGS 0x2 (entry 0: cs at 0x341c, eflags at 0x3420).
; expect-exceptions: 0x80/-@after
; expect: eax=0x11 esp=0x1fff0 cs=0x08 ss=0x10 if=0
; expect: mem32[0x1ffec]=0x2 mem16[0x1ffe8]=0x08 mem32[0x1ffe4]=0x10002
; expect: mem32[0x341c]=0x08 mem32[0x3420]=0x2
    int 0x80
after:
    nop
