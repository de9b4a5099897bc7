; a fault's frame carries RF = 1; the resumed code's PUSHFD shows it clear, and a trap's frame never has it
; mode: pm32
; on-exception: resume
; expect-exceptions: 6/-@fault 3/-@after_trap
; expect: mem32[0x1ffec]=0x2 ecx=0x10046 edx=0x46
; | SDM vol. 3A 17.3.1.1 (Instruction-Breakpoint Exception Condition): the EFLAGS image
; | pushed for any fault-class exception but an instruction-breakpoint #DB has RF = 1, so
; | the handler's IRET returns with RF set; the processor clears RF when the next
; | instruction completes. Vol. 2 PUSHF: RF and VM are cleared in the image it stores.
; | XOR EAX, EAX leaves ZF = PF = 1 (0x46 with bit 1). The #UD frame (CPL 0, no error
; | code, ESP 0x1FFF0: EIP at 0x1FFE4, CS at 0x1FFE8, EFLAGS at 0x1FFEC) holds 0x10046;
; | it is read into ECX before PUSHFD writes over it (IF masked out of EDX: the native
; | oracle's process runs with IF set), and INT3's frame (a trap, at the same place) holds
; | 0x2, the flags AND EDX left (0x46 has odd parity), without RF. The host CPU (native
; | oracle) pushes the same.
    xor eax, eax
fault:
    ud2
    mov ecx, [0x1ffec]
    pushfd
    pop edx
    and edx, 0xfffffdff
    int3
after_trap:
    nop
