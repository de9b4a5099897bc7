; A flag-setting store that rewrites the next instruction: its flags are seen there
; mode: pm32
; regs: eax=0xbf9e ecx=1 edx=2
; expect: ah=0x87 ecx=1 edx=2
;
; | ADD word [patch], AX turns the bytes 01 D1 (ADD ECX, EDX) into 9F 90 (LAHF; NOP):
; | 0xD101 + 0xBF9E = 0x1909F, so CF = 1, SF = 1 (bit 15 of 0x909F), ZF = 0, OF = 0
; | (two negatives, negative sum), PF = 1 (0x9F has six bits set), AF = 0
; | (0x01 ^ 0x9E ^ 0x9F has bit 4 clear). LAHF then loads AH = SF ZF 0 AF 0 PF 1 CF
; | = 0x87 (SDM vol. 2 ADD, LAHF; vol. 3A 11.6: a write to code already fetched is
; | seen). The ADD ECX, EDX that stood there never runs, so ECX stays 1.
    xor esi, esi
    add word ptr [patch], ax
patch:
    add ecx, edx
    nop
