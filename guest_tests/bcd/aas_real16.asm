; AAS in real mode: AX-6 with borrow into AH, then AH-1; AF forces the adjustment; no-adjust masks AL
; mode: real16
; data: 0x18000 db 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee
; expect: mem16[0x18000]=0x0008 mem8[0x18002]=0x11
; expect: mem16[0x18004]=0x000f mem8[0x18006]=0x11
; expect: mem16[0x18008]=0x0009 mem8[0x1800a]=0x00
; expect: mem16[0x1800c]=0xff05 mem8[0x1800e]=0x11
; expect: eax=0xfe0a af=1 cf=1
; DS base is 0x10000, so offset 0x8000 is linear 0x18000.
; SDM AAS: IF (AL AND 0FH) > 9 OR AF THEN AX <- AX-6; AH <- AH-1; AF=CF=1 ... AL <- AL AND 0FH.
; Working (SDM vol. 2), line by line:
; | sub al, 5                   -- AL=0xFE, AF=1 CF=1
; | aas                         -- AX=0x01FE-6=0x01F8, AH-1=0x00, AL&=0xF: 0x0008
; | mov ah, 0x10                -- AF=1 CF=0
; | aas                         -- AX=0x0205-6=0x01FF, AH-1=0x00, AL=0x0F
; | aas                         -- 9 <= 9, AF=0: AL=0x09, AF=CF=0
; | aas                         -- B > 9: AX=0x0005, AH-1=0xFF, AL=0x05
; | mov ah, 0x10                -- AF=1
; | aas                         -- AX=0-6=0xFFFA, AH-1=0xFE, AL=0x0A
    mov ax, 0x0103
    sub al, 5
    aas
    mov word ptr [0x8000], ax
    lahf
    and ah, 0x11
    mov byte ptr [0x8002], ah
    mov ah, 0x10
    sahf
    mov ax, 0x0205
    aas
    mov word ptr [0x8004], ax
    lahf
    and ah, 0x11
    mov byte ptr [0x8006], ah
    mov ah, 0
    sahf
    mov ax, 0x0039
    aas
    mov word ptr [0x8008], ax
    lahf
    and ah, 0x11
    mov byte ptr [0x800a], ah
    mov ah, 0
    sahf
    mov ax, 0x000b
    aas
    mov word ptr [0x800c], ax
    lahf
    and ah, 0x11
    mov byte ptr [0x800e], ah
    mov ah, 0x10
    sahf
    mov ax, 0x0000
    aas
