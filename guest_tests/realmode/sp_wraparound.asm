; Real mode PUSH with SP = 0 wraps to SS:0xfffe; the upper half of ESP is left alone
; mode: real16
; regs: ss=0x2000 esp=0x00050000
; expect: esp=0x00050000 ax=0xbeef bx=0xfffe cx=0x1234
; expect: mem16[0x2fffe]=0xbeef mem16[0x2fffc]=0x1234
; expect-exceptions: none
;
; SS = 0x2000 (base 0x20000), a 16-bit stack: only SP changes.
;   push 0xbeef   SP 0x0000 -> 0xfffe, stores at 0x2fffe
;   push 0x1234   SP -> 0xfffc, stores at 0x2fffc
;   pop cx, pop ax  SP 0xfffc -> 0xfffe -> 0x0000; ESP keeps 0x0005 in its upper half
    push word 0xbeef
    mov bx, sp
    push word 0x1234
    pop cx
    pop ax
