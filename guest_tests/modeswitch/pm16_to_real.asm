; 16-bit protected mode to real mode: clear CR0.PE, far jump; unreloaded selectors keep their bases
; mode: pm16
; data: 0x18000 dw 0x1111 0x2222
; data: 0x20000 dw 0x3333
; expect: cs=0x1000 bx=0x1000 ax=0x1111 cx=0x38 si=0x2222 di=0x3333 edx=0
; expect: ds=0x1000 es=0x2000 ss=0x38 esp=0xffee mem16[0x1ffee]=0x4321
; expect-exceptions: none
;
; pm16 runs in CS 0x30 (16-bit code, base 0x10000) with DS = SS = 0x38 (base 0x10000,
; limit 0xffff, writable): SDM vol. 3A 9.9.2 only asks to clear CR0.PE and far jump.
; In real mode DS and SS keep selector 0x38 and its cached base 0x10000 until reloaded:
; [0x8000] -> 0x18000 (0x1111) and MOV CX, DS reads 0x38. After reloading DS = 0x1000
; (base 0x10000) [0x8002] -> 0x18002; ES = 0x2000: ES:[0] -> 0x20000.
; PUSH: SS (0x38, cached base 0x10000, B = 0) -> SP 0xffee, linear 0x1ffee.
; CR0.PE reads back 0.
    mov eax, cr0
    and eax, 0xfffffffe
    mov cr0, eax
    ljmp 0x1000:real
real:
    mov bx, cs
    mov ax, [0x8000]
    mov cx, ds
    mov dx, 0x1000
    mov ds, dx
    mov si, [0x8002]
    mov dx, 0x2000
    mov es, dx
    mov di, es:[0x0]
    push word 0x4321
    mov edx, cr0
    and edx, 1
