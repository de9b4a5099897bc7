; 16-bit forms with BP select SS, the others DS; segment overrides change either
; mode: real16
; regs: ss=0x2000 ds=0x1000 ebp=0x8000 ebx=0x8000 esi=2 edi=4
; data: 0x18000 dw 0x1111 0x1112 0x1113 0x1114
; data: 0x28000 dw 0x2221 0x2222 0x2223 0x2224
; expect: ax=0x2221 cx=0x2224 dx=0x1112 si=0x1113 di=0x2224
; expect: mem16[0x28002]=0x5555 mem16[0x18002]=0x1112
; expect-exceptions: none
;
; DS base 0x10000, SS base 0x20000.
;   [bp]          encoded [bp+0] (mod=01), SS:0x8000 -> 0x28000
;   [bp+di+2]     SS:0x8006 -> 0x28006
;   [bx+si]       DS:0x8002 -> 0x18002
;   store [bp+si] SS:0x8002 -> 0x28002
;   DS override [bp+4] DS:0x8004 -> 0x18004 (0x3e spelled out: keystone drops "ds:" on BP forms)
;   SS override [bx+6] SS:0x8006 -> 0x28006
    mov ax, [bp]
    mov cx, [bp+di+2]
    mov dx, [bx+si]
    mov word ptr [bp+si], 0x5555
    .byte 0x3e
    mov si, [bp+4]
    mov di, ss:[bx+6]
