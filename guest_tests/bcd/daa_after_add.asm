; DAA after ADD: low-digit fix, AF from the ADD, high-digit fix from AL > 0x99 and from CF
; mode: pm32
; data: 0x18000 dw 0xeeee 0xeeee 0xeeee
; expect: mem16[0x18000]=0x9283 mem16[0x18002]=0x1648 mem16[0x18004]=0x5700
; expect: al=0x98 cf=1 af=1 sf=1 zf=0 pf=0
; Each stored word is LAHF:AL, AH = SF ZF 0 AF 0 PF 1 CF (all defined after DAA).
; Working (SDM vol. 2), line by line:
; | add al, 0x45                -- 0x7D, AF=0 CF=0
; | daa                         -- D > 9: AL=0x83 AF=1; 0x7D <= 0x99: CF=0
; | add al, 0x19                -- 0x42, AF=1 (9+9 carries out of bit 3)
; | daa                         -- AF: AL=0x48 AF=1 CF=0
; | add al, 0x01                -- 0x9A, AF=0 CF=0
; | daa                         -- A > 9: 0xA0 AF=1; old AL 0x9A > 0x99: AL=0x00 CF=1
; | add al, 0x99                -- 0x32, CF=1 AF=1
; | daa                         -- AF: 0x38; old CF: AL=0x98 CF=1
    mov al, 0x38
    add al, 0x45
    daa
    lahf
    mov word ptr [0x18000], ax
    mov al, 0x29
    add al, 0x19
    daa
    lahf
    mov word ptr [0x18002], ax
    mov al, 0x99
    add al, 0x01
    daa
    lahf
    mov word ptr [0x18004], ax
    mov al, 0x99
    add al, 0x99
    daa
