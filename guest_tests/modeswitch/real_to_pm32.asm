; Real mode to 32-bit protected mode: far jump with a 32-bit offset to 0x08, then 32-bit code
; mode: real16
; data: 0x18000 dd 0x13579bdf
; data: 0x18100 dw 0xff 0x600 0
; expect: cs=0x08 ds=0x10 ss=0x10 eax=0x13579bdf bx=0x08 esp=0x1ffec
; expect: mem32[0x1ffec]=0x12345678
; expect-exceptions: none
;
; LGDT from the pseudo-descriptor at linear 0x18100 (limit 0xff, base 0x600), set CR0.PE,
; then JMP FAR 0x08:(0x10000 + pm32) with an operand-size prefix (66 EA ptr16:32) since
; the offset does not fit 16 bits. The body is assembled as 16-bit code, so the 32-bit part
; is spelled out in bytes (it decodes with CS.D = 1):
;   b8 10 00 00 00    mov eax, 0x10
;   8e d8 / 8e d0     mov ds, eax / mov ss, eax
;   bc f0 ff 01 00    mov esp, 0x1fff0
;   a1 00 80 01 00    mov eax, [0x18000]
;   68 78 56 34 12    push 0x12345678      (4 bytes: ESP 0x1fff0 -> 0x1ffec)
;   8c cb             mov ebx, cs (only BX is checked: SDM vol. 2 MOV leaves the upper
;                     half of a 32-bit destination implementation-dependent)
    lgdt [0x8100]
    mov eax, cr0
    or eax, 1
    mov cr0, eax
    .byte 0x66, 0xea
    .long pm32+0x10000
    .word 0x08
pm32:
    .byte 0xb8, 0x10, 0x00, 0x00, 0x00
    .byte 0x8e, 0xd8
    .byte 0x8e, 0xd0
    .byte 0xbc, 0xf0, 0xff, 0x01, 0x00
    .byte 0xa1, 0x00, 0x80, 0x01, 0x00
    .byte 0x68, 0x78, 0x56, 0x34, 0x12
    .byte 0x8c, 0xcb
