; 8-bit OR on AH: a zero result sets ZF and PF; AL and the upper bits of EAX are untouched
; mode: pm32
; regs: eax=0x123400ff ecx=0 eflags=0x883
; expect: eax=0x123400ff cf=0 of=0 sf=0 zf=1 pf=1
    or ah, ch
