; A TSS with its T bit set raises a debug trap in the new task before its first instruction, with DR6.BT set
; mode: pm32
; gdt: 10=0x0000890184000067
; on-exception: resume
; data: 0x18438 dd 0x1f000
; data: 0x18448 dd 0x10 0x08 0x10 0x10 0x10 0x10
; data: 0x18464 dw 1
; expect-exceptions: 1/-@task2
; expect: eax=0x8000 ebx=0x50
; | SDM vol. 3A 7.2.1 (T flag) and 17.2.3: "the processor generates a debug exception when
; | a task switch occurs to a task with the T flag set", after the switch and before the
; | new task's first instruction, setting DR6.BT (bit 15). The runtime's handler logs #DB
; | at task2 (the new task's EIP) and returns to it; task 2 reads DR6's BT bit and TR.
    mov dword ptr [0x18420], task2
    ljmp 0x50:0
    hlt
task2:
    mov eax, dr6
    and eax, 0x8000
    xor ebx, ebx
    str bx
