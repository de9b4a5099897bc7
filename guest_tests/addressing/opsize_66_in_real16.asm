; Operand-size prefix 0x66 in real mode: 32-bit moves, pushes and arithmetic
; mode: real16
; regs: ecx=0xaaaa0000
; expect: eax=0x12345678 ebx=0x9abcdf00 ecx=0xaaaaffff esp=0xffec
; expect: mem32[0x18000]=0x12345678 mem32[0x1ffec]=0x12345678
; expect: cf=0 of=0 sf=1 zf=0 af=1 pf=1
; expect-exceptions: none
;
;   push eax            SP 0xfff0 -> 0xffec, 4 bytes at SS:0xffec = linear 0x1ffec
;   mov cx, 0xffff      ECX upper half kept
;   add ebx, 0x88888888 0x12345678 + 0x88888888 = 0x9abcdf00: no carry out (CF = 0),
;                       positive + negative (OF = 0), SF = 1, 8 + 8 carries out of bit 3
;                       (AF = 1), low byte 0x00 (PF = 1)
    mov eax, 0x12345678
    mov [0x8000], eax
    mov ebx, [0x8000]
    mov cx, 0xffff
    push eax
    add ebx, 0x88888888
