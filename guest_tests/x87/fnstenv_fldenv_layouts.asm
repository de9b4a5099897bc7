; FNSTENV in the 32-bit protected-mode layout (then every exception masked) and the 16-bit one (operand-size prefix), and FLDENV of an edited image
; mode: pm32
; | Expectation: by hand from SDM vol. 1 8.1.10, figures 8-9 and 8-10: CW, SW, TW, FIP, FCS and
; | FOP, FDP, FDS; reserved halves of the 32-bit layout as the host processor stores them (0xffff).
; | FIP is the FLD's offset (0x10008), FOP its 11 bits (D9 05 -> 0x105), FDP its operand.
; data: 0x18000 dd 0x3f800000
; data: 0x18004 dw 0x037e
; compare: 0x18100 96
; expect: mem32[0x18100]=0xffff037e mem32[0x18104]=0xffff3800 mem32[0x18108]=0xffff3fff mem32[0x1810c]=0x10008 mem32[0x18110]=0x01050008 mem32[0x18114]=0x18000 mem32[0x18118]=0xffff0010
; expect: mem16[0x18120]=0x037f mem16[0x18122]=0x3800 mem16[0x18124]=0x3fff mem16[0x18126]=0x0008 mem16[0x18128]=0x0008 mem16[0x1812a]=0x8000 mem16[0x1812c]=0x0010 mem16[0x18140]=0x037e
    fninit
    fldcw word ptr [0x18004]         ; IE unmasked
here:
    fld dword ptr [0x18000]
    fnstenv [0x18100]                ; then every exception is masked
    .byte 0x66
    fnstenv [0x18120]
    mov word ptr [0x18100], 0x037e
    fldenv [0x18100]
    fnstcw [0x18140]
