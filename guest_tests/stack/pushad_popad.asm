; PUSHAD stores EAX..EDI with the original ESP; POPAD reloads all but ESP, whose slot it skips
; mode: pm32
; regs: eax=1 ecx=2 edx=3 ebx=4 ebp=6 esi=7 edi=8
; data: 0x18000 dd 0
; expect: eax=0xaaaa ecx=2 edx=3 ebx=4 ebp=6 esi=7 edi=8 esp=0x1fff0
; expect: mem32[0x18000]=0x1fff0
; expect: mem32[0x1ffec]=0xaaaa mem32[0x1ffe8]=2 mem32[0x1ffe4]=3 mem32[0x1ffe0]=4
; expect: mem32[0x1ffdc]=0x12345 mem32[0x1ffd8]=6 mem32[0x1ffd4]=7 mem32[0x1ffd0]=8
; | after PUSHAD, ESP=0x1FFD0: [+0] EDI, [+4] ESI, [+8] EBP, [+12] ESP before PUSHAD (0x1FFF0),
; | [+16] EBX, [+20] EDX, [+24] ECX, [+28] EAX. The ESP slot is saved, then overwritten with 0x12345
; | and the EAX slot with 0xAAAA; the registers are trashed, then POPAD.
    pushad
    mov eax, dword ptr [esp + 12]
    mov dword ptr [0x18000], eax
    mov dword ptr [esp + 12], 0x12345
    mov dword ptr [esp + 28], 0xaaaa
    mov eax, 0xffffffff
    mov ecx, eax
    mov edx, eax
    mov ebx, eax
    mov ebp, eax
    mov esi, eax
    mov edi, eax
    popad
