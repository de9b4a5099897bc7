; #PF on an instruction fetch from a not-present page: EIP = CR2 = the target, error code 0
; mode: pm32-paged
; regs: ebx=0x12345678
; expect: exit=exception cr2=0x20000 eax=0x20000 ebx=0x12345678
; expect-exceptions: 14/0@0x20000
;
; Page 0x20 is made not present (PTE at 0x7080 = 0, INVLPG). JMP EAX to 0x20000 faults on
; the fetch: the saved EIP is 0x20000 (the fault belongs to the instruction there).
; SDM vol. 3A 4.7: I/D (bit 4) is set only with CR4.SMEP = 1 or PAE with EFER.NXE = 1;
; with 32-bit paging and neither, the error code is 0 (not present, read, supervisor).
    mov dword ptr [0x7080], 0
    invlpg [0x20000]
    mov eax, 0x20000
    jmp eax
