; String instructions: the DS:ESI source takes an override, the ES:EDI destination never does
; mode: pm32
; gdt: 10=0x00cf92020000ffff 11=0x00cf92030000ffff
; regs: esi=0x18000 edi=0x18100
; data: 0x18000 dd 0x1111 0x1212
; data: 0x38000 dd 0x2222
; data: 0x48004 dd 0x3333
; expect: eax=0x3333 esi=0x18008 edi=0x18110 fs=0x50 es=0x58
; expect: mem32[0x48100]=0x1111 mem32[0x48104]=0x2222 mem32[0x48108]=0xaaaa mem32[0x4810c]=0x3333
; expect: mem32[0x18100]=0 mem32[0x3810c]=0
; expect-exceptions: none
;
; FS = 0x50 (base 0x20000), ES = 0x58 (base 0x30000), DS flat. DF = 0.
;   movsd          DS:0x18000 (0x1111) -> ES:0x18100 = linear 0x48100
;   fs movsd       FS:0x18000 = 0x38000 (0x2222) -> ES:0x18104 = 0x48104
;   stosd          EAX 0xaaaa -> ES:0x18108 = 0x48108
;   es lodsd       ES:0x18004 = 0x48004 -> EAX = 0x3333
;   fs stosd       (0x64 spelled out) the override does not apply: ES:0x1810c = 0x4810c
    mov ax, 0x50
    mov fs, ax
    mov ax, 0x58
    mov es, ax
    cld
    movsd dword ptr es:[edi], dword ptr [esi]
    mov esi, 0x18000
    movsd dword ptr es:[edi], dword ptr fs:[esi]
    mov eax, 0xaaaa
    stosd
    lodsd eax, dword ptr es:[esi]
    .byte 0x64
    stosd
