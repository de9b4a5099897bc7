; Far CALL, RETF and IRETD at CPL 3 touch the stack as user accesses: #PF error codes 6, 4, 4
; mode: pm32-paged
; on-exception: resume
; regs: ds=0x23 es=0x23 fs=0x23 gs=0x23 eax=0xa1 ebx=0xb1
; data: 0x20ff8 dd 0x11111111 0x22222222
; expect: esp=0x22000 cs=0x1b ss=0x23 eax=0xa1 ebx=0xb1 cr2=0x22000
; expect: mem32[0x20ff8]=0x11111111 mem32[0x20ffc]=0x22222222
; expect-exceptions: 14/6@l_call 14/4@l_retf 14/4@l_iret
;
; | Pages 0x20 and 0x22 (PTEs 0x7080 and 0x7088) are made not present, then the body
; | goes to CPL 3 with ESP = 0x21000: the far CALL's first push (CS) is at 0x20FFC.
; | With ESP = 0x22000, RETF and IRETD read their EIP at 0x22000.
; | SDM vol. 3A 4.6: accesses made at CPL 3 are user-mode accesses; only accesses to
; | the GDT, LDT, IDT and TSS are implicitly supervisor-mode accesses. So the pushes
; | of a far CALL and the pops of RETF and IRET at CPL 3 are user accesses, and the
; | #PF error code (vol. 3A 4.7) has U/S = 1: P = 0, W/R = 1, U/S = 1 = 6 for the
; | CALL, P = 0, W/R = 0, U/S = 1 = 4 for the two reads. Each fault leaves ESP and
; | CS as they were, the CALL stores nothing, and CR2 ends as the last read's 0x22000.
    and dword ptr [0x7080], 0xfffffffe
    and dword ptr [0x7088], 0xfffffffe
    invlpg [0x20000]
    invlpg [0x22000]
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
    mov esp, 0x22000
l_retf:
    retf
l_iret:
    iretd
