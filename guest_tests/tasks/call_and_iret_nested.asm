; CALL to a TSS nests the new task (back link, NT, both busy); its IRET with NT set returns to the caller with the caller's saved state, clears the callee's busy bit and saves the callee's state
; mode: pm32
; gdt: 10=0x0000890184000067
; data: 0x18438 dd 0x1f000
; data: 0x18448 dd 0x10 0x08 0x10 0x10 0x10 0x10
; data: 0x18000 dd 0 0 0 0
; compare: 0x18000 16
; compare: 0x18400 0x68
; expect-exceptions: none
; expect: mem32[0x18000]=0x4002 mem32[0x18004]=0x28 mem32[0x18008]=0x8b8b
; expect: mem16[0x18400]=0x28 mem32[0x18420]=0 mem32[0x18424]=0x2 mem32[0x18428]=0x77
; expect: eax=0xa1 ebx=0x89 ecx=0x2 edx=0x28 esp=0x1fff0 cr0=0x19
; | Task 2's TSS as in jmp_to_tss.asm. SDM vol. 3A 7.3 and 7.4: CALL writes the old TSS
; | selector (0x28) as the new task's back link, sets NT in the new task's EFLAGS (0x4002)
; | and leaves the old task busy. Task 2 stores its EFLAGS, the back link and the two
; | access bytes (0x8b each), sets EAX = 0x77 and IRETDs. IRET with NT set (vol. 2 IRET,
; | TASK-RETURN) switches to the back link's task without nesting: task 2's state is saved
; | (EIP after its IRETD, offset 0x20, stored as EIP - the label: 0; EFLAGS at 0x24 with
; | NT cleared in the saved image, 0x2 (7.3 step 6); EAX 0x77 at 0x28), its busy bit is cleared, and task 1
; | resumes after the CALL with the registers its TSS holds (EAX 0xa1, saved by the CALL)
; | and its own EFLAGS (0x2, NT clear). Task 1 then reads task 2's access byte (EBX 0x89),
; | its EFLAGS (ECX) and TR (EDX).
    mov dword ptr [0x18420], task2
    mov eax, 0xa1
    lcall 0x50:0
    movzx ebx, byte ptr [0x600+0x50+5]
    pushfd
    pop ecx
    xor edx, edx
    str dx
    jmp done
task2:
    pushfd
    pop dword ptr [0x18000]
    movzx eax, word ptr [0x18400]
    mov dword ptr [0x18004], eax
    mov al, byte ptr [0x600+0x28+5]
    mov ah, byte ptr [0x600+0x50+5]
    mov dword ptr [0x18008], eax
    mov eax, 0x77
    iretd
after_iret:
    hlt
done:
    sub dword ptr [0x18420], after_iret
