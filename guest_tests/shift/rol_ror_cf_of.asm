; ROL/ROR write only CF (and OF for count 1); SF ZF AF PF keep their earlier values
; mode: pm32
; regs: eax=0x12345678 ebx=1 eflags=0xd6
; expect: eax=0x34567812 ebx=0x80000000 cf=1 of=1 zf=1 sf=1 af=1 pf=1
    rol eax, 8
    ror ebx, 1
