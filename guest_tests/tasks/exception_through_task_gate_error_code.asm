; An exception through a task gate pushes its error code on the new task's stack: #GP(0x100) from a bad DS load reaches the handler task with 0x100 at [ESP]
; mode: pm32
; gdt: 11=0x0000890185000067
; data: 0x18538 dd 0x1f000
; data: 0x18548 dd 0x10 0x08 0x10 0x10 0x10 0x10
; expect-exceptions: none
; expect: eax=0x100 ebx=0x1effc ecx=0x28 edx=0 esi=0x4046
; | IDT vector 13 becomes a task gate (access 0x85) naming TSS 0x58 (GDT slot 11, base
; | 0x18500). MOV DS, AX with AX = 0x100 (index 0x20, past the GDT's limit 0xff) is
; | #GP(0x100). SDM vol. 2 INT n, TASK-GATE: the switch nests (back link 0x28, NT), the old
; | task's EIP is the faulting MOV's (saved EIP - the label: EDX 0), and "IF interrupt
; | caused by fault with error code ... Push(error code)" on the new task's stack, a
; | dword for a 32-bit TSS: ESP 0x1f000 - 4, [ESP] = 0x100. The handler task reads them
; | and ends the test; its EFLAGS has NT and the ZF and PF of the SUB (0x4046).
    mov word ptr [0x800+13*8], 0
    mov word ptr [0x802+13*8], 0x58
    mov word ptr [0x804+13*8], 0x8500
    mov word ptr [0x806+13*8], 0
    mov dword ptr [0x18520], task2
    mov ax, 0x100
fault:
    mov ds, ax
    hlt
task2:
    mov eax, dword ptr [esp]
    mov ebx, esp
    movzx ecx, word ptr [0x18500]
    mov edx, dword ptr [0x720]
    sub edx, fault
    pushfd
    pop esi
