; IDIV rounds the quotient toward zero and gives the remainder the dividend's sign (8, 16, 32-bit)
; mode: pm32
; regs: eax=0x0000fff9 ebx=2 edx=0x1111ffff esi=7 ecx=0xfffffffe
; expect: ebp=0x0000fffd edi=0x1111fffa esi=0x0000ff72 eax=0xfffffffd edx=1
    idiv bl
    mov ebp, eax
    mov eax, 0xfc18
    idiv si
    mov edi, edx
    mov esi, eax
    mov eax, 7
    mov edx, 0
    idiv ecx
