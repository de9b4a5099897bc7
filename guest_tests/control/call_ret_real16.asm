; Real mode near CALL pushes a 16-bit IP; RET imm16 pops it and the argument; CALL through BX and [mem16]
; mode: real16
; expect: eax=0x1234 edx=6 edi=0xfff0 ecx=2 ebx=0x24 esp=0xfff0
; expect: mem16[0x1ffee]=0x17 mem16[0x1ffec]=6 mem16[0x18000]=0x24
; | keystone 0.9.2 emits 66 E8 rel32 for "call label" and 66 C3 / 66 C2 for "ret" in 16-bit code
; | (32-bit operand size), so the direct CALL and the RETs are written as bytes.
; | 0x00 push 0x1234 (3) -> SP=0xFFEE; 0x03 call func (E8 rel16, 3) -> pushes 0x0006 at 0xFFEC
; | 0x06 mov di,sp (2); 0x08 mov bx,func2 (3); 0x0B call bx (2) -> pushes 0x000D at 0xFFEE
; | 0x0D mov [0x8000],func2 (6); 0x13 call [0x8000] (4) -> pushes 0x0017 at 0xFFEE; 0x17 jmp done (2)
; | 0x19 func: mov bp,sp; mov ax,[bp+2]; mov dx,[bp]; 0x21 ret 2; 0x24 func2: inc cx; ret
    push word 0x1234
    .byte 0xe8
    .word func - ret1
ret1:
    mov di, sp
    mov bx, func2
    call bx
    mov word ptr [0x8000], func2
    call word ptr [0x8000]
    jmp done
func:
    mov bp, sp
    mov ax, word ptr [bp + 2]
    mov dx, word ptr [bp]
    .byte 0xc2, 0x02, 0x00
func2:
    inc cx
    .byte 0xc3
done:
