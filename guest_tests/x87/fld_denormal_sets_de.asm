; FLD of a denormal single or double sets FSW.DE (masked: the load goes ahead); a normal
; operand does not
; mode: user32
; data: 0x18000 dd 0x3f800000
; data: 0x18004 dd 1 0
; data: 0x1800c dd 1
; expect: ebx=0x3800 ecx=0x3002 eax=0x2802
; | Intel SDM vol. 2 FLD, Floating-Point Exceptions: #D if the source operand is a
; | denormal value (not for double extended precision); vol. 1 8.5.2: with DM masked
; | (FCW 0x37F after FNINIT) the flag is set and the operand used as it is.
; | 1.0 (single): TOP 7, no flag: 0x3800. Then 2^-1074 (double, mantissa 1): TOP 6, DE:
; | 0x3002. Then 2^-149 (single, mantissa 1): TOP 5, DE still set (sticky): 0x2802.
    fld dword ptr [0x18000]
    fnstsw ax
    mov ebx, eax
    fld qword ptr [0x18004]
    fnstsw ax
    mov ecx, eax
    fld dword ptr [0x1800c]
    fnstsw ax
