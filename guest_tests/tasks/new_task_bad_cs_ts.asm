; A fault in the new task's state is taken in the new task: a TSS whose CS is a data segment gives #TS(CS selector) at the new task's EIP, after the switch has committed
; mode: pm32
; gdt: 10=0x0000890184000067
; data: 0x18428 dd 0x11 0x12 0x13 0x14 0x1f000 0x16 0x17 0x18
; data: 0x18448 dd 0x10 0x10 0x10 0x10 0x10 0x10
; compare: 0x700 0x68
; expect-exceptions: 10/0x10@0x10123
; expect: mem32[0x720]=0x10011 mem8[0x62d]=0x89 mem8[0x655]=0x8b cr0=0x19
; expect: eax=0x11 ecx=0x12 edx=0x13 ebx=0x14 ebp=0x16 esi=0x17 edi=0x18
; | The new TSS has CS = 0x10 (the runtime's flat data segment) and EIP 0x10123. SDM vol.
; | 3A 7.3 and table 7-1: after the old state is saved (EIP after the JMP: 0x10011), the
; | busy bits are updated, TS is set and the new task's registers are loaded, "the code
; | segment descriptor" check fails: #TS with the CS selector, "in the context of the new
; | task", so the exception's EIP is the new task's, 0x10123, and the general registers
; | are the new task's when the runtime's handler stops the test.
    mov dword ptr [0x18420], 0x10123
    ljmp 0x50:0
