; 8-bit IDIV: a quotient of -128 fits in AL, +128 does not and raises #DE
; mode: pm32
; regs: eax=0xff00 ebx=2
; on-exception: resume
; expect: exit=end esi=0x0080 eax=0x0100
; expect-exceptions: 0/-@fault
    idiv bl
    mov esi, eax
    mov eax, 0x0100
fault:
    idiv bl
