; MOVZX and MOVSX from byte and word, memory and register, into 32- and 16-bit destinations
; mode: pm32
; regs: esi=0xaaaaaaaa
; data: 0x18000 db 0x80 0x7f 0x01 0x80
; expect: eax=0x00000080 ebx=0xffffff80 ecx=0xffff8001 edx=0x00008001 esi=0xaaaa0001 edi=0x0000007f
    movzx eax, byte ptr [0x18000]
    movsx ebx, byte ptr [0x18000]
    movsx ecx, word ptr [0x18002]
    movzx edx, cx
    movsx si, dl
    movsx edi, byte ptr [0x18001]
