; ENTER size,0 pushes EBP, points EBP at it and reserves size bytes; LEAVE undoes both
; mode: pm32
; regs: ebp=0x12345678
; expect: esi=0x1ffdc edi=0x1ffec ebp=0x12345678 esp=0x1fff0
; expect: mem32[0x1ffec]=0x12345678 mem32[0x1ffe8]=0xaaaa
; | enter 0x10,0: push EBP at 0x1FFEC; EBP=0x1FFEC; ESP=0x1FFEC-0x10=0x1FFDC
; | a local at [EBP-4]=0x1FFE8; leave: ESP=EBP, pop EBP
    enter 0x10, 0
    mov esi, esp
    mov edi, ebp
    mov dword ptr [ebp - 4], 0xaaaa
    leave
