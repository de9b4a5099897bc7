; A far CALL at CPL 3 may not push onto a supervisor page: #PF(7), nothing written
; mode: pm32-paged
; on-exception: resume
; regs: ds=0x23 es=0x23 fs=0x23 gs=0x23
; data: 0x20ff8 dd 0x11111111 0x22222222
; expect: esp=0x21000 cs=0x1b cr2=0x20ffc
; expect: mem32[0x20ff8]=0x11111111 mem32[0x20ffc]=0x22222222
; expect-exceptions: 14/7@l_call
;
; | Page 0x20 (PTE 0x7080) is made a supervisor page (U/S = 0), then the body goes to
; | CPL 3 with ESP = 0x21000, so the far CALL pushes CS at 0x20FFC and EIP at 0x20FF8.
; | SDM vol. 3A 4.6: a push at CPL 3 is a user-mode access (only GDT, LDT, IDT and
; | TSS accesses are implicitly supervisor accesses), and user-mode accesses to a
; | supervisor page are not allowed: #PF with P = 1, W/R = 1, U/S = 1 (7) at the
; | first push, CR2 = 0x20FFC, and the CALL leaves ESP, CS and the stack as they were.
    and dword ptr [0x7080], 0xfffffffb
    invlpg [0x20000]
    push dword 0x23
    push dword 0x21000
    pushfd
    push dword 0x1b
    push dword user
    iretd
user:
l_call:
    lcall 0x1b:target
target:
    nop
