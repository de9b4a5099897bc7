; DAS after SUB: borrow cases, AF-only fix, zero result, raw 0x05/AF=1 (borrow sets CF), raw 0x9A
; mode: pm32
; data: 0x18000 dw 0xeeee 0xeeee 0xeeee 0xeeee
; expect: mem16[0x18000]=0x9788 mem16[0x18002]=0x1628 mem16[0x18004]=0x4600 mem16[0x18006]=0x97ff
; expect: al=0x34 cf=1 af=1 zf=0 pf=0 sf=0
; Stored words are LAHF:AL (AH = SF ZF 0 AF 0 PF 1 CF).
; Working (SDM vol. 2), line by line:
; | sub al, 0x47                -- 0xEE, CF=1 AF=1
; | das                         -- AL=0xE8, CF=1|0=1, AF=1; old CF: AL=0x88 CF=1
; | sub al, 0x24                -- 0x2E, CF=0 AF=1
; | das                         -- AL=0x28 AF=1; 0x2E <= 0x99, CF=0: no high fix, CF=0
; | sub al, 0x10                -- 0, CF=0 AF=0
; | das                         -- no fix: AF=0 CF=0 ZF=1
; | mov ax, 0x1005              -- AF=1 CF=0, AL=0x05
; | das                         -- AL=0x05-6=0xFF with borrow: CF=1 AF=1; old AL 5, old CF 0: no high fix
; | mov ax, 0x009a              -- AF=0 CF=0
; | das                         -- A > 9: 0x94 AF=1 CF=0; old 0x9A > 0x99: AL=0x34 CF=1
    mov al, 0x35
    sub al, 0x47
    das
    lahf
    mov word ptr [0x18000], ax
    mov al, 0x52
    sub al, 0x24
    das
    lahf
    mov word ptr [0x18002], ax
    mov al, 0x10
    sub al, 0x10
    das
    lahf
    mov word ptr [0x18004], ax
    mov ax, 0x1005
    sahf
    das
    lahf
    mov word ptr [0x18006], ax
    mov ax, 0x009a
    sahf
    das
