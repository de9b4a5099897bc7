; A 32-bit far CALL into a 16-bit code segment pushes a 32-bit frame; the callee returns with o32 RETF
; mode: pm32
; regs: eax=0x11112222
; expect: eax=0x11111234 ebx=0 ecx=0x08 esi=0x1fff0 cs=0x08
; expect-exceptions: none
;
; lcall 0x30:(callee - 0x10000): operand size 32 (CS 0x08 has D = 1), so CS and EIP are
; pushed as two 4-byte slots: ESP 0x1fff0 -> 0x1ffe8 (SS is 0x10, B = 1: ESP is used even
; while CS is 16-bit). The callee in 0x30 (D = 0) is spelled out:
;   b8 34 12                 mov ax, 0x1234 (16-bit default operand size: EAX upper half kept)
;   67 66 8b 1c 24           mov ebx, [esp]     return EIP = back
;   67 8b 4c 24 04           mov cx, [esp+4]    return CS = 0x08 (low word of its slot)
;   66 cb                    retf with 32-bit operand size: pops EIP and CS, ESP += 8
; Back in 32-bit code EBX - back = 0 and ESP = 0x1fff0.
    lcall 0x30:callee-0x10000
back:
    mov esi, esp
    sub ebx, back
    jmp done
callee:
    .byte 0xb8, 0x34, 0x12
    .byte 0x67, 0x66, 0x8b, 0x1c, 0x24
    .byte 0x67, 0x8b, 0x4c, 0x24, 0x04
    .byte 0x66, 0xcb
done:
    nop
