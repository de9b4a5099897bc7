; FNSTENV and FLDENV with a 16-bit operand size in 32-bit code: the 14-byte protected-mode layout (CW, SW, TW, FIP, FCS, FDP, FDS)
; mode: pm32
; | Expectation: by hand from SDM vol. 1 figure 8-10: FIP is the FLD's offset 0x10002 cut to 16 bits,
; | FCS 0x08, FDP 0x8000 (the low half of 0x18000), FDS 0x10; the edited CW 0x0c7f comes back.
; data: 0x18000 dd 0x3f800000
; compare: 0x18100 32
; expect: mem16[0x18100]=0x037f mem16[0x18102]=0x3800 mem16[0x18104]=0x3fff mem16[0x18106]=0x0002 mem16[0x18108]=0x0008 mem16[0x1810a]=0x8000 mem16[0x1810c]=0x0010 mem16[0x18110]=0x0c7f
    fninit
    fld dword ptr [0x18000]
    .byte 0x66
    fnstenv [0x18100]
    mov eax, [0x18100]
    mov [0x18120], eax
    mov word ptr [0x18120], 0x0c7f
    mov eax, [0x18102]
    mov [0x18122], eax
    mov ax, [0x18106]
    mov [0x18126], ax
    mov eax, [0x18108]
    mov [0x18128], eax
    mov ax, [0x1810c]
    mov [0x1812c], ax
    .byte 0x66
    fldenv [0x18120]
    fnstcw [0x18110]
    .byte 0xdb, 0xe0                 ; FNENI: nothing, on a 387 and later
    .byte 0xdb, 0xe1                 ; FNDISI
    .byte 0xdb, 0xe4                 ; FNSETPM
    fnstsw [0x18112]
