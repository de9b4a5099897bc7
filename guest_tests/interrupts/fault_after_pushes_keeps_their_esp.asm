; A fault in straight-line code is taken at the faulting instruction with the work
; before it done: the two pushes stay, and the saved state is that before the DIV
; (SDM Vol. 3, 6.5: a fault is reported with the state before the instruction).
; Resumed after the DIV, POP gets EBX's value back: ESP 0x1f000 - 8 + 4
; mode: pm32
; regs: eax=0x1111 ebx=0x2222 ecx=0 esp=0x1f000
; on-exception: resume
; expect: exit=end eax=0x1111 edx=0 esi=0x2222 edi=5 esp=0x1effc
; expect-exceptions: 0/-@fault
    push eax
    push ebx
    mov edx, 0
    mov edi, 4
fault:
    div ecx
    pop esi
    inc edi
