; INT 0x80 from CPL3 through a DPL-3 gate switches to the TSS ring-0 stack and pushes SS, ESP, EFLAGS, CS, EIP
; mode: user32
; regs: eax=0x1234
; on-exception: resume
; SDM vol. 3A 6.12.1: gate DPL 3 >= CPL 3, handler CS DPL 0 < CPL: SS:ESP from
; TSS.SS0:ESP0 = 0x10:0x9000, then push old SS 0x23, old ESP 0x1fff0, EFLAGS
; 0x202, CS 0x1b, EIP after the INT. IRETD back to CPL3 restores SS:ESP.
; expect-exceptions: 0x80/-@after
; expect: eax=0x1234 cs=0x1b ss=0x23 esp=0x1fff0 ds=0x23 if=1 iopl=0
; expect: mem16[0x8ffc]=0x23 mem32[0x8ff8]=0x1fff0 mem32[0x8ff4]=0x202 mem16[0x8ff0]=0x1b mem32[0x8fec]=0x10002
; expect: mem32[0x341c]=0x1b mem32[0x3420]=0x202
    int 0x80
after:
    nop
