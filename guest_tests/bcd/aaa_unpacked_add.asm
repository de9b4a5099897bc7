; AAA adds 0x106 to AX when AL's low digit > 9 or AF=1 (carry into AH from AL), else only masks AL
; mode: pm32
; data: 0x18000 db 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee
; expect: mem16[0x18000]=0x0107 mem8[0x18002]=0x11
; expect: mem16[0x18004]=0x0205 mem8[0x18006]=0x11
; expect: mem16[0x18008]=0x0000 mem8[0x1800a]=0x11
; expect: mem16[0x1800c]=0x0305 mem8[0x1800e]=0x00
; expect: eax=0x050f af=1 cf=1
; Stored: AX, then LAHF AND 0x11 (AF, CF; the other flags are undefined after AAA).
; Working (SDM vol. 2), line by line:
; | add al, 9                   -- AL=0x11, AF=1
; | aaa                         -- AX=0x0011+0x106=0x0117, AL&=0xF: 0x0107, AF=CF=1
; | mov ah, 0                   -- AF=0 CF=0
; | aaa                         -- F > 9: AX=0x00FF+0x106=0x0205, AL&=0xF: 0x0205
; | aaa                         -- A > 9: AX=0xFF7A+0x106=0x0080 (wraps), AL&=0xF: 0x0000
; | aaa                         -- 5 <= 9, AF=0: AF=CF=0, AL=0x05, AH unchanged
; | mov ah, 0x10                -- AF=1 CF=0
; | aaa                         -- AF: AX=0x0409+0x106=0x050F, AL&=0xF: 0x050F, AF=CF=1
    mov ax, 0x0008
    add al, 9
    aaa
    mov word ptr [0x18000], ax
    lahf
    and ah, 0x11
    mov byte ptr [0x18002], ah
    mov ah, 0
    sahf
    mov ax, 0x00ff
    aaa
    mov word ptr [0x18004], ax
    lahf
    and ah, 0x11
    mov byte ptr [0x18006], ah
    mov ah, 0
    sahf
    mov ax, 0xff7a
    aaa
    mov word ptr [0x18008], ax
    lahf
    and ah, 0x11
    mov byte ptr [0x1800a], ah
    mov ah, 0
    sahf
    mov ax, 0x0335
    aaa
    mov word ptr [0x1800c], ax
    lahf
    and ah, 0x11
    mov byte ptr [0x1800e], ah
    mov ah, 0x10
    sahf
    mov ax, 0x0409
    aaa
