; CMOVcc moves only when the condition holds (register and memory sources, 32- and 16-bit)
; mode: pm32
; regs: eax=5 ebx=10 ecx=0x1111 edx=0x2222 esi=0x33334444 edi=0x5555
; data: 0x18000 dd 0x0000beef
; expect: ecx=10 edx=0x2222 esi=0x3333beef edi=0x5555 cf=1 sf=1 of=0 zf=0
    cmp eax, ebx
    cmovl ecx, ebx
    cmovg edx, ebx
    cmovb si, word ptr [0x18000]
    cmovae edi, dword ptr [0x18000]
