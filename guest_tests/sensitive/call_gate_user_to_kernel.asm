; CALL through a call gate from CPL 3 to CPL 0 switches to the TSS stack and copies the parameters; RETF 8 returns
; mode: user32
; gdt: 10=0x0001ec0200082000
; expect: eax=0x8 ebx=0x10 ecx=0x11111111 edx=0x22222222 esi=0x1ffe8 edi=0x1b
; expect: esp=0x1fff0 cs=0x1b ss=0x23
; | GDT slot 10 (selector 0x50, used as 0x53): a 32-bit call gate, P=1 DPL=3 type 0xC,
; | 2 parameters, target selector 0x08, offset 0x00012000 (kernel code at gate_target).
; | Descriptor: offset 15:0 = 0x2000, selector = 0x0008, byte 4 = 0x02 (parameter count),
; | byte 5 = 0xEC (P, DPL 3, type 0xC), offset 31:16 = 0x0001.
; | The kernel side reads CS/SS, the two copied parameters, and the caller's SS:ESP and CS
; | from its new stack (SDM vol. 3A 5.8.5: SS, ESP, params, CS, EIP are pushed); the saved
; | ESP is the caller's after it pushed the two parameters, 0x1FFE8.
    push dword 0x22222222
    push dword 0x11111111
    lcall 0x53:0
    jmp done
    .fill 0x2000 - 0x16, 1, 0x90
gate_target:
    mov eax, cs
    mov ebx, ss
    mov ecx, [esp + 8]
    mov edx, [esp + 12]
    mov esi, [esp + 16]
    mov edi, [esp + 4]
    retf 8
done:
