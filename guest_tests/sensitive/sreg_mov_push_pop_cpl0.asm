; MOV r32, Sreg / PUSH Sreg / POP Sreg at CPL0: selectors with RPL 0, zero-extended into 32-bit registers
; mode: pm32
; regs: eax=0xffffffff ebx=0xffffffff ecx=0xffffffff
; expect-exceptions: none
; SDM vol. 2 MOV: MOV r32, Sreg zero-extends (P6 and later); with a 16-bit
; destination only BX changes. PUSH Sreg with 32-bit operand size moves ESP by
; 4 and writes at least the low word (checked via MOVZX). POP DS of 0x23 at
; CPL0 is allowed (DPL 3 >= CPL, DPL >= RPL).
; expect: eax=0x08 ebx=0xffff0010 ecx=0x08 edx=0x1ffec ds=0x23 esp=0x1fff0 cs=0x08
    mov eax, cs
    mov bx, ss
    push cs
    mov edx, esp
    movzx ecx, word ptr [esp]
    pop esi
    push dword 0x23
    pop ds
