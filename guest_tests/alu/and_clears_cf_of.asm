; AND clears CF and OF (set beforehand) and sets SF, ZF, PF from the result
; mode: pm32
; regs: eax=0xf0f0f0f0 ebx=0x0ff00ff0 eflags=0x803
; expect: eax=0x00f000f0 ebx=0x0ff00ff0 cf=0 of=0 sf=0 zf=0 pf=1
    and eax, ebx
