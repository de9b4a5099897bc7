; Accesses past the SS limit (by EBP/ESP base or SS override) are #SS(0), not #GP
; mode: pm32
; on-exception: resume
; gdt: 10=0x0040920180000fff
; regs: eax=0xaaaaaaaa ebx=0xbbbbbbbb ecx=0xcccccccc ebp=0
; data: 0x18ffc dd 0x5a5a5a5a
; expect: ss=0x50 esp=0x7fc edx=0x5a5a5a5a eax=0xaaaa0050 ebx=0xbbbbbbbb ecx=0xcccccccc
; expect: mem32[0x187fc]=0x11111111
; expect-exceptions: 12/0@l1 12/0@l2 12/0@l3
;
; SS = slot 10 (0x50): read/write data, base 0x18000, limit 0xfff, B = 1; ESP = 0x800.
; SDM vol. 2 MOV: #SS(0) if a memory operand effective address is outside the SS limit.
;   PUSH with ESP 0x800 -> 0x7fc, stores at linear 0x187fc
;   l1 [ebp+0x1000]        -> #SS(0)
;   l2 [esp+0x900] = 0x10fc -> #SS(0)
;   l3 SS override [0x2000] -> #SS(0)
;   [ebp+0xffc] = the last dword inside -> 0x5a5a5a5a
; The handler's frames go on this stack below ESP, well inside the limit.
; EAX keeps 0xaaaa in its upper half after MOV AX, 0x50.
    mov ax, 0x50
    mov ss, ax
    mov esp, 0x800
    push dword 0x11111111
l1:
    mov eax, [ebp+0x1000]
l2:
    mov ebx, [esp+0x900]
l3:
    mov ecx, ss:[0x2000]
    mov edx, [ebp+0xffc]
