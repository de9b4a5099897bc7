; SETcc after CMP 1, -1: below (unsigned) but greater (signed); SETcc writes only its byte
; mode: pm32
; regs: esi=1 edi=0xffffffff eax=0xaaaaaaaa ebx=0xbbbbbbbb ecx=0xcccccccc edx=0xdddddddd
; expect: eax=0xaaaa0001 ebx=0xbbbb0100 ecx=0xcccc0100 edx=0xdddd0000 cf=1 zf=0 sf=0 of=0 pf=0
    cmp esi, edi
    setb al
    seta ah
    setl bl
    setg bh
    sete cl
    setne ch
    sets dl
    seto dh
