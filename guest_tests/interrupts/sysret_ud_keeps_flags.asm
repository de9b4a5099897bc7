; SYSRET outside 64-bit mode raises #UD, a fault: the frame holds the flags as the
; instruction found them
; mode: pm32
; on-exception: resume
; regs: eax=0
; expect: ebx=0x46
; expect-exceptions: 6/-@l_sysret
; | Intel SDM vol. 2 SYSRET, Protected Mode Exceptions: #UD (it is valid in 64-bit mode
; | only; EFER.SCE is 0 besides). SDM vol. 3A 6.5: a fault is reported with the state
; | before the instruction. ADD AL, 0 with AL = 0 leaves ZF = 1, PF = 1, CF = AF = SF =
; | OF = 0: EFLAGS 0x46, which the runtime's IRETD restores and PUSHFD reads back.
    add al, 0
l_sysret:
    .byte 0x0f, 0x07
    pushfd
    pop ebx
