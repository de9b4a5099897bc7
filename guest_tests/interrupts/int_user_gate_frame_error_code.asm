; INT n through a gate to CPL 3 code pushes its frame as a user access: #PF(6) at the INT
; mode: pm32-paged
; on-exception: resume
; regs: ds=0x23 es=0x23 fs=0x23 gs=0x23
; data: 0x20ff0 dd 0x11111111 0x22222222 0x33333333 0x44444444
; expect: esp=0x21000 cs=0x1b cr2=0x20ffc
; expect: mem32[0x20ff4]=0x22222222 mem32[0x20ff8]=0x33333333 mem32[0x20ffc]=0x44444444
; expect-exceptions: 14/6@l_int
;
; | The gate of vector 0x41 (IDT 0x800 + 8 * 0x41 = 0xA08) becomes a DPL 3 32-bit
; | interrupt gate to 0x1B:__test_end (CPL 3 code, so no stack switch), and page 0x20
; | (PTE 0x7080) is made not present; the body goes to CPL 3 with ESP = 0x21000.
; | SDM vol. 2 INT n, INTRA-PRIVILEGE-LEVEL-INTERRUPT: EFLAGS, CS and EIP are pushed
; | on the current stack; the first push, at 0x20FFC, faults. That push happens at
; | CPL 3 and is not an access to the IDT, GDT, LDT or TSS, so it is a user access
; | (vol. 3A 4.6): error code P = 0, W/R = 1, U/S = 1 = 6, CR2 = 0x20FFC. A fault
; | while delivering INT n is reported at the INT (vol. 3A 6.5), with ESP and the
; | stack as they were.
    mov dword ptr [0xa08], __test_end - 0x10000 + 0x1b0000
    mov dword ptr [0xa0c], 0x1ee00
    and dword ptr [0x7080], 0xfffffffe
    invlpg [0x20000]
    push dword 0x23
    push dword 0x21000
    pushfd
    push dword 0x1b
    push dword user
    iretd
user:
l_int:
    int 0x41
