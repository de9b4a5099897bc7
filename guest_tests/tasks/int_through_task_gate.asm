; INT n through a task gate switches to the gate's task with nesting; the handler task's IRET returns to the interrupted task after the INT
; mode: pm32
; gdt: 10=0x0000890184000067
; data: 0x18438 dd 0x1f000
; data: 0x18448 dd 0x10 0x08 0x10 0x10 0x10 0x10
; data: 0x18000 dd 0 0
; compare: 0x18000 8
; expect-exceptions: none
; expect: mem32[0x18000]=0x4002 mem32[0x18004]=0x28 eax=0x5 ebx=0x89 esp=0x1fff0
; | IDT vector 0x90 becomes a task gate (type 5, DPL 3: access 0xe5) naming TSS 0x50.
; | SDM vol. 2 INT n, TASK-GATE: the switch is made with nesting (back link 0x28, NT set
; | in the new task: EFLAGS 0x4002), with the old task's EIP after the INT; no error
; | code. Task 2 stores its EFLAGS and back link and IRETDs, which returns (NT) to task 1
; | after the INT with its saved EAX 5; task 2's busy bit is then clear (EBX 0x89).
    mov word ptr [0x800+0x90*8], 0
    mov word ptr [0x802+0x90*8], 0x50
    mov word ptr [0x804+0x90*8], 0xe500
    mov word ptr [0x806+0x90*8], 0
    mov dword ptr [0x18420], task2
    mov eax, 5
    int 0x90
    movzx ebx, byte ptr [0x600+0x50+5]
    jmp done
task2:
    pushfd
    pop dword ptr [0x18000]
    movzx ecx, word ptr [0x18400]
    mov dword ptr [0x18004], ecx
    iretd
    jmp task2
done:
