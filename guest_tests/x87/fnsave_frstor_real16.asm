; FNSTENV and FNSAVE in real mode store the 16-bit real-mode layout: the instruction and data pointers as 20-bit linear addresses, FOP beside the pointer's top bits
; mode: real16
; | Expectation: by hand from SDM vol. 1 8.1.10, figure 8-11 (real mode, 16-bit): FIP(15-0),
; | FIP(19-16) in bits 12-15 with FOP(10-0), FDP(15-0), FDP(19-16) in bits 12-15. The FLD is at
; | 1000:0002 (linear 0x10002), its operand at DS:0x8000 (linear 0x18000); D9 06 gives FOP 0x106.
; data: 0x18000 dd 0x3f800000
; compare: 0x18100 112
; expect: mem16[0x18100]=0x037f mem16[0x18102]=0x3800 mem16[0x18104]=0x3fff mem16[0x18106]=0x0002 mem16[0x18108]=0x1106 mem16[0x1810a]=0x8000 mem16[0x1810c]=0x1000
    fninit
    fld dword ptr [0x8000]
    fnstenv [0x8100]
    fnsave [0x8120]
    frstor [0x8120]
    fstp dword ptr [0x8180]
