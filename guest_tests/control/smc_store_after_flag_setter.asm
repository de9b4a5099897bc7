; A flag-neutral store that rewrites the next instruction into LAHF: LAHF sees the flags set before the store
; mode: pm32
; regs: ecx=0xc6f86d8e edx=0x5 eax=0x11223344
; expect: ecx=0x39079272 eax=0x11221744 cf=1 pf=1 af=1 zf=0 sf=0 of=0
;
; | NEG ECX (0xC6F86D8E): 0 - 0xC6F86D8E = 0x39079272; CF = 1 (the source is not 0),
; | AF = 1 (a borrow into bit 4: 0 - 0xE in the low nibble), PF = 1 (0x72 has four
; | bits set), ZF = SF = OF = 0 (SDM vol. 2 NEG). MOV, which changes no flag, writes
; | 9F 90 (LAHF; NOP) over ADD ECX, EDX (01 D1); a store to code about to run is seen
; | by the next fetch (vol. 3A 11.6), so LAHF loads AH = SF ZF 0 AF 0 PF 1 CF =
; | 0001 0111 = 0x17, the ADD never runs (ECX keeps NEG's result) and the flags at the
; | end are NEG's.
    neg ecx
    mov word ptr [patch], 0x909f
patch:
    add ecx, edx
    nop
