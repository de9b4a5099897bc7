; SIB base + index with every scale, and with positive and negative 32-bit displacements
; mode: pm32
; regs: ebx=0x18000 esi=0x10
; data: 0x18010 dd 0x11
; data: 0x18020 dd 0x22
; data: 0x18040 dd 0x44
; data: 0x18080 dd 0x88
; data: 0x18110 dd 0x1100
; expect: eax=0x11 ecx=0x22 edx=0x44 edi=0x88 ebp=0x1100
; expect: mem32[0x17f80]=0x7f80
; expect-exceptions: none
;
; esi*1/2/4/8 = 0x10/0x20/0x40/0x80 above 0x18000.
; [ebx+esi+0x100]: 0x100 does not fit disp8, so disp32: 0x18110.
; [ebx+esi*8-0x100]: disp32 -0x100: 0x18000 + 0x80 - 0x100 = 0x17f80.
    mov eax, [ebx+esi*1]
    mov ecx, [ebx+esi*2]
    mov edx, [ebx+esi*4]
    mov edi, [ebx+esi*8]
    mov ebp, [ebx+esi+0x100]
    mov dword ptr [ebx+esi*8-0x100], 0x7f80
