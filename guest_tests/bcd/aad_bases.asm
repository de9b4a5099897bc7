; AAD sets AL = (AL + AH*imm8) AND 0xFF and AH = 0 for bases 10, 16, 0 and with 8-bit overflow
; mode: pm32
; regs: eax=0xabcdff0a
; data: 0x18000 db 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee
; expect: mem16[0x18000]=0x0061 mem8[0x18002]=0x00
; expect: mem16[0x18004]=0x00ab mem8[0x18006]=0x80
; expect: mem16[0x18008]=0x00f5 mem8[0x1800a]=0x84
; expect: mem16[0x1800c]=0x000a mem8[0x1800e]=0x04
; expect: mem16[0x18010]=0x0034 mem8[0x18012]=0x00
; expect: eax=0xabcd0000 zf=1 pf=1 sf=0
; Stored: AX, then LAHF AND 0xC4 (SF ZF PF; OF AF CF are undefined after AAD).
; Working (SDM vol. 2), line by line:
; | aad                         -- 7 + 9*10 = 97 = 0x61 (three bits: PF=0)
; | aad 0x10                    -- 0x0B + 0xA*16 = 0xAB: SF=1, five bits: PF=0
; | aad                         -- 255 + 255*10 = 2805 = 0xAF5: AL=0xF5, SF=1, six bits: PF=1
; | aad                         -- 6 + 26*10 = 266 = 0x10A: AL=0x0A, PF=1
; | aad 0                       -- base 0 does not fault: AL=0x34, AH=0, three bits: PF=0
; | pop eax                     -- 0xABCDFF0A
; | aad                         -- 10 + 255*10 = 2560 = 0xA00: AL=0, ZF=1 PF=1
    push eax
    mov ax, 0x0907
    aad
    mov word ptr [0x18000], ax
    lahf
    and ah, 0xc4
    mov byte ptr [0x18002], ah
    mov ax, 0x0a0b
    aad 0x10
    mov word ptr [0x18004], ax
    lahf
    and ah, 0xc4
    mov byte ptr [0x18006], ah
    mov ax, 0xffff
    aad
    mov word ptr [0x18008], ax
    lahf
    and ah, 0xc4
    mov byte ptr [0x1800a], ah
    mov ax, 0x1a06
    aad
    mov word ptr [0x1800c], ax
    lahf
    and ah, 0xc4
    mov byte ptr [0x1800e], ah
    mov ax, 0x9934
    aad 0
    mov word ptr [0x18010], ax
    lahf
    and ah, 0xc4
    mov byte ptr [0x18012], ah
    pop eax
    aad
