; Operand-size prefix 0x66 in 32-bit code: 16-bit loads, stores, pushes and flags
; mode: pm32
; regs: eax=0x12345678 ecx=0x0001ffff
; data: 0x18000 dw 0xbeef
; data: 0x18004 dd 0xffffffff
; expect: eax=0x12343eef ecx=0x10000 esp=0x1ffee
; expect: mem16[0x1ffee]=0xbeef mem32[0x18004]=0xffff1234
; expect: cf=1 of=1 sf=0 zf=0 af=0 pf=0
; expect-exceptions: none
;
;   inc cx                 0xffff -> 0, no carry into ECX bit 16
;   mov ax, [0x18000]      only AX is replaced: 0x1234beef
;   mov word [0x18004]     writes 2 bytes: 0xffff1234
;   push ax                ESP -= 2
;   add ax, 0x8000         0xbeef + 0x8000 = 0x13eef: AX = 0x3eef, CF = 1;
;                          negative + negative = positive: OF = 1; low nibble f + 0: AF = 0;
;                          low byte 0xef has seven 1 bits: PF = 0
    inc cx
    mov ax, [0x18000]
    mov word ptr [0x18004], 0x1234
    push ax
    add ax, 0x8000
