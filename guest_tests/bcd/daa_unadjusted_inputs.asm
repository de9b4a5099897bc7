; DAA on non-BCD AL with AF/CF loaded by SAHF: 0xFA (+6 carries out), 0x9F, 0x00 with AF=CF=1, 0x0F, 0xA0
; mode: pm32
; data: 0x18000 dw 0xeeee 0xeeee 0xeeee 0xeeee
; expect: mem16[0x18000]=0x1760 mem16[0x18002]=0x1705 mem16[0x18004]=0x1766 mem16[0x18006]=0x1215
; expect: al=0 cf=1 af=0 zf=1 pf=1 sf=0
; SDM DAA: old_AL/old_CF are taken before the +6 step; CF = old_CF | carry(+6), then
; AL += 0x60 and CF = 1 when old_AL > 0x99 or old_CF. Stored words are LAHF:AL.
; Working (SDM vol. 2), line by line:
; | mov ax, 0x00fa              -- AH=0: AF=0 CF=0
; | daa                         -- A > 9: AL=0x00 carry, AF=1 CF=1; old 0xFA > 0x99: AL=0x60 CF=1
; | daa                         -- F > 9: 0xA5 AF=1; old 0x9F > 0x99: AL=0x05 CF=1
; | mov ax, 0x1100              -- AF=1 CF=1, AL=0
; | daa                         -- AF: 0x06; old CF: 0x66 CF=1
; | daa                         -- F > 9: 0x15 AF=1; 0x0F <= 0x99, CF=0
; | daa                         -- low 0 <= 9, AF=0: AF=0; old 0xA0 > 0x99: AL=0x00 CF=1
    mov ax, 0x00fa
    sahf
    daa
    lahf
    mov word ptr [0x18000], ax
    mov ax, 0x009f
    sahf
    daa
    lahf
    mov word ptr [0x18002], ax
    mov ax, 0x1100
    sahf
    daa
    lahf
    mov word ptr [0x18004], ax
    mov ax, 0x000f
    sahf
    daa
    lahf
    mov word ptr [0x18006], ax
    mov ax, 0x00a0
    sahf
    daa
