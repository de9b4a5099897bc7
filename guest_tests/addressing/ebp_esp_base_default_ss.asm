; EBP and ESP as base register select SS; EBP as index (no base) or a DS override selects DS
; mode: pm32
; gdt: 10=0x00cf92100000ffff
; regs: ebp=0x18000 esi=4
; data: 0x18000 dd 0x11111111 0x33333333
; data: 0x118000 dd 0x22222222 0x44444444
; expect: eax=0x22222222 ebx=0x44444444 ecx=0x33333333 edx=0x11111111 esi=0x11111111 edi=0x44444444
; expect: ss=0x50 esp=0x18004
; expect: mem32[0x118004]=0x55555555 mem32[0x18004]=0x33333333
; expect-exceptions: none
;
; SS = selector 0x50 (GDT slot 10): flat read/write data, base 0x100000, limit 4 GiB.
; DS stays the flat 0x10 (base 0).
;   [ebp]            mod=01 disp8 0, SS  -> 0x118000
;   [ebp+esi]        base EBP, SS        -> 0x118004
;   [esi+ebp*1]      base ESI, DS        -> 0x18004
;   DS override [ebp]  -> 0x18000 (the 0x3e prefix is spelled out:
;                    keystone drops an explicit "ds:" on [ebp])
;   [ebp*2-0x18000]  no base (SIB base=101, mod=00), DS -> 0x30000 - 0x18000 = 0x18000
;   [esp+4]          base ESP, SS        -> 0x118004
;   push with ESP = 0x18008 stores at SS:0x18004 = linear 0x118004
    mov ax, 0x50
    mov ss, ax
    mov eax, [ebp]
    mov ebx, [ebp+esi]
    mov ecx, [esi+ebp*1]
    .byte 0x3e
    mov edx, [ebp]
    mov esi, [ebp*2-0x18000]
    mov esp, 0x18000
    mov edi, [esp+4]
    mov esp, 0x18008
    push dword 0x55555555
