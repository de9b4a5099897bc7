; In 16-bit code: 32-bit SHLD by 36 shifts by 4 (masked); 16-bit SHRD by 16 gives the source, CF = bit 15
; mode: pm16
; regs: ecx=0x12345678 edx=0x9abcdef0 eax=0xaaaa8000 ebx=0x00001234
; expect: ecx=0x23456789 esi=1 eax=0xaaaa1234 cf=1 sf=0 zf=0 pf=0
    shld ecx, edx, 36
    setc al
    movzx esi, al
    mov al, 0
    shrd ax, bx, 16
