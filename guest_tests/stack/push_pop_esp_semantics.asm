; PUSH ESP stores the old ESP; POP ESP loads ESP from the stack; POP [ESP] addresses after the increment; PUSH [ESP] reads before the decrement
; mode: pm32
; expect: eax=0x1fff0 ebx=0x1fe00 ecx=0x1fefc edx=0x22222222 esp=0x1fff0
; expect: mem32[0x1ffec]=0x1fe00 mem32[0x1fefc]=0x22222222 mem32[0x1fef8]=0x22222222
; | push esp: 0x1FFF0 stored at 0x1FFEC; pop eax -> 0x1FFF0
; | push 0x1FE00; pop esp: ESP <- 0x1FE00 (the value, not old ESP+4)
; | ESP=0x1FF00: push 0x11111111 (0x1FEFC), push 0x22222222 (0x1FEF8)
; | pop [esp]: reads 0x22222222 at 0x1FEF8, ESP=0x1FEFC, writes it to [0x1FEFC]
; | [0x1FEF8] <- 0x33333333; push [esp]: reads [0x1FEFC]=0x22222222 before ESP-4, stores at 0x1FEF8
    push esp
    pop eax
    push dword 0x1fe00
    pop esp
    mov ebx, esp
    mov esp, 0x1ff00
    push dword 0x11111111
    push dword 0x22222222
    pop dword ptr [esp]
    mov ecx, esp
    mov dword ptr [esp - 4], 0x33333333
    push dword ptr [esp]
    pop edx
    mov esp, 0x1fff0
