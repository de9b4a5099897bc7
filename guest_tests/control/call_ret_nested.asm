; Near CALL pushes the address of the next instruction and RET pops it; nested calls unwind in order
; mode: pm32
; expect: ebx=0x10005 edx=0x10011 ebp=0x1ffe8 edi=0x1fff0 esp=0x1fff0
; expect: mem32[0x1ffec]=0x10005 mem32[0x1ffe8]=0x10011
; | 0x10000 call f1 (5 bytes) -> pushes 0x10005 at 0x1FFEC
; | 0x10005 mov edi, esp (2); 0x10007 jmp done (2)
; | 0x10009 f1: mov ebx, [esp] (3); 0x1000C call f2 (5) -> pushes 0x10011 at 0x1FFE8
; | 0x10011 ret; 0x10012 f2: mov edx, [esp]; mov ebp, esp; ret
    call f1
    mov edi, esp
    jmp done
f1:
    mov ebx, dword ptr [esp]
    call f2
    ret
f2:
    mov edx, dword ptr [esp]
    mov ebp, esp
    ret
done:
