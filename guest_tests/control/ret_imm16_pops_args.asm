; RET imm16 pops the return address and then releases imm16 bytes of arguments
; mode: pm32
; expect: eax=0x22 ebx=0x11 edi=0x1fff0 esp=0x1fff0
; expect: mem32[0x1ffec]=0x11 mem32[0x1ffe8]=0x22 mem32[0x1ffe4]=0x1000f
; | push 0x11 (5 bytes), push 0x22 (5), 0x1000A call (5): return address 0x1000F at 0x1FFE4
; | ret 8: EIP <- [0x1FFE4], ESP = 0x1FFE8 + 8 = 0x1FFF0
    push dword 0x11
    push dword 0x22
    call callee
    mov edi, esp
    jmp done
callee:
    mov eax, dword ptr [esp + 4]
    mov ebx, dword ptr [esp + 8]
    ret 8
done:
