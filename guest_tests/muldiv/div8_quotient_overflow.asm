; 8-bit DIV whose quotient does not fit in AL (0x1000 / 0x10 = 0x100) raises #DE; the next DIV works
; mode: pm32
; regs: eax=0x1000 ebx=0x10
; on-exception: resume
; expect: exit=end esi=0x1000 eax=0x0f0f
; expect-exceptions: 0/-@fault
fault:
    div bl
    mov esi, eax
    mov eax, 0xff
    div bl
