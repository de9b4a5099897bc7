; AAM divides AL by imm8 (AH = quotient, AL = remainder) for bases 10, 7, 16, 0xF1; SF ZF PF from AL
; mode: pm32
; regs: eax=0xabcd0000
; data: 0x18000 db 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee 0xee
; expect: mem16[0x18000]=0x0909 mem8[0x18002]=0x04
; expect: mem16[0x18004]=0x2403 mem8[0x18006]=0x04
; expect: mem16[0x18008]=0x0a0b mem8[0x1800a]=0x00
; expect: mem16[0x1800c]=0x00f0 mem8[0x1800e]=0x84
; expect: eax=0xabcd0800 zf=1 pf=1 sf=0
; Stored: AX, then LAHF AND 0xC4 (SF ZF PF; OF AF CF are undefined after AAM).
; Working (SDM vol. 2), line by line:
; | aam                         -- 99 = 9*10 + 9 (old AH ignored)
; | aam 7                       -- 255 = 36*7 + 3
; | aam 0x10                    -- 0xAB = 0xA*16 + 0xB; 0x0B has three bits: PF=0
; | aam 0xf1                    -- 0xF0 < 0xF1: AH=0, AL=0xF0, SF=1 PF=1
; | aam                         -- 80 = 8*10 + 0: ZF=1
    mov ax, 0x1263
    aam
    mov word ptr [0x18000], ax
    lahf
    and ah, 0xc4
    mov byte ptr [0x18002], ah
    mov al, 0xff
    aam 7
    mov word ptr [0x18004], ax
    lahf
    and ah, 0xc4
    mov byte ptr [0x18006], ah
    mov al, 0xab
    aam 0x10
    mov word ptr [0x18008], ax
    lahf
    and ah, 0xc4
    mov byte ptr [0x1800a], ah
    mov al, 0xf0
    aam 0xf1
    mov word ptr [0x1800c], ax
    lahf
    and ah, 0xc4
    mov byte ptr [0x1800e], ah
    mov al, 0x50
    aam
