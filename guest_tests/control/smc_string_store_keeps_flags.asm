; STOSB into the next instruction (the block being run) leaves the flags as the ADD
; before it set them
; mode: user32
; regs: eax=0x90 edi=0x10003
; expect: eax=0x90 ebx=0x286 edi=0x10004 cf=0 pf=1 af=0 zf=0 sf=1 of=0
; | ADD AL, 0 with AL = 0x90 (04 00, at 0x10000): CF = OF = AF = ZF = 0, SF = 1, PF = 1
; | (two bits set). STOSB (at 0x10002) stores AL at EDI = 0x10003, over the NOP after
; | it: a store to code about to run (SDM vol. 3A 11.6), here of the byte already there.
; | STOS changes no flag (SDM vol. 2 STOS), so PUSHFD reads the ADD's flags with IF: 0x286.
    add al, 0
    stosb
    nop
    pushfd
    pop ebx
