; Real mode: linear address = selector * 16 + offset; aliases, LDS and LES
; mode: real16
; regs: ds=0x1234
; data: 0x179b8 dw 0xa5a5
; data: 0x18000 dw 0x0010 0x2345
; data: 0x23460 dw 0x6789 0x0004 0x3000
; data: 0x30004 dw 0xbeef
; expect: ax=0xa5a5 cx=0xa5a5 dx=0x5a5a mem16[0x179b8]=0x5a5a
; expect: ds=0x2345 si=0x10 di=0x6789 es=0x3000 bp=4 bx=0xbeef
; expect-exceptions: none
;
;   DS 0x1234 offset 0x5678 -> 0x12340 + 0x5678 = 0x179b8
;   ES 0x179b offset 0x0008 -> 0x179b0 + 8      = 0x179b8 (the same byte); a store through ES
;   is seen through DS.
;   DS 0x1000: LDS SI, [0x8000] reads offset 0x0010, segment 0x2345 at linear 0x18000;
;   [si] -> 0x23450 + 0x10 = 0x23460.
;   LES BP, [si+2] reads offset 0x0004, segment 0x3000 at 0x23462; the ES override on [bp]
;   gives 0x30000 + 4 = 0x30004.
    mov ax, [0x5678]
    mov bx, 0x179b
    mov es, bx
    mov cx, es:[0x8]
    mov word ptr es:[0x8], 0x5a5a
    mov dx, [0x5678]
    mov bx, 0x1000
    mov ds, bx
    lds si, [0x8000]
    mov di, [si]
    les bp, [si+2]
    mov bx, es:[bp]
