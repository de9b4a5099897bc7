; IDIV of the most negative 8/16/32-bit dividend by -1 overflows the quotient and raises #DE each time
; mode: pm32
; regs: eax=0x80000000 edx=0xffffffff ecx=0xffffffff ebx=0xffffffff
; on-exception: resume
; expect: exit=end esi=0x80000000 edi=0xffff8000 eax=0xff80 edx=0xffffffff
; expect-exceptions: 0/-@f32 0/-@f16 0/-@f8
f32:
    idiv ecx
    mov esi, eax
    mov eax, 0xffff8000
f16:
    idiv bx
    mov edi, eax
    mov eax, 0xff80
f8:
    idiv bl
