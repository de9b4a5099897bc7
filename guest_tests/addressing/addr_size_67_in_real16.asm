; Address-size prefix 0x67 in real mode: 32-bit SIB forms, ESP base uses SS, LEA truncation
; mode: real16
; regs: ebx=0x8000 ecx=4 edx=0xffff0000
; data: 0x18010 dd 0x13572468
; data: 0x1ffe0 dd 0x2468ace0
; expect: eax=0x13572468 edx=0xffff8020 esi=0x2468ace0 mem32[0x18108]=0x13572468
; expect-exceptions: none
;
; DS = SS = 0x1000 (base 0x10000).
;   [ebx+ecx*4]          DS:0x8010 -> 0x18010
;   lea dx, [ebx+ecx*8+0x12340000]  EA 0x12348020; a 16-bit destination keeps the low 16 bits,
;                        the upper half of EDX is untouched
;   [esp+ecx-0x14]       SS:0xfff0 + 4 - 0x14 = 0xffe0 -> 0x1ffe0
;   store [ebx+ecx*2+0x100]  DS:0x8108 -> 0x18108
    mov eax, [ebx+ecx*4]
    lea dx, [ebx+ecx*8+0x12340000]
    mov esi, [esp+ecx-0x14]
    mov [ebx+ecx*2+0x100], eax
