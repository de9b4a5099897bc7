; Segment loads in virtual-8086 mode take any selector as a paragraph number, with no descriptor: MOV, POP, LDS, LES, LSS
; mode: pm32
; data: 0x18000 dw 0x0123 0x1801 0x4567 0x1802 0x0100 0x3000
; data: 0x18034 dw 0xbeef
; data: 0x30100 dw 0xcafe
; expect-exceptions: none
; expect: ds=0x1801 es=0x1802 fs=0x1803 gs=0x1800 ss=0x3000 esp=0x100
; expect: eax=0xbeef esi=0x123 edi=0x4567 ebx=0xcafe
; | Every selector is a paragraph number in virtual-8086 mode (SDM vol. 3A 20.1.1): no
; | descriptor is read (0x1801 and the others index far past the GDT's limit).
; | With DS = GS = 0x1800 (base 0x18000): LDS SI, [0] loads SI 0x123 and DS 0x1801;
; | LES DI, GS:[4] loads DI 0x4567, ES 0x1802; LSS SP, GS:[8] loads SP 0x100, SS 0x3000;
; | PUSH 0x1803 / POP FS loads FS (base 0x18030), so FS:[4] reads 0x18034 = 0xbeef (AX);
; | SS:[0x100] reads 0x30100 = 0xcafe (BX).
    push dword 0
    push dword 0
    push dword 0x1800
    push dword 0
    push dword 0x2000
    push dword 0xfff0
    push dword 0x23002
    push dword 0x1000
    push dword v86 - 0x10000
    iretd
.code16
v86:
    mov ax, 0x1800
    mov gs, ax
    lds si, dword ptr [0]
    les di, dword ptr gs:[4]
    lss sp, dword ptr gs:[8]
    push word 0x1803
    pop fs
    mov ax, word ptr fs:[4]
    mov bx, word ptr ss:[0x100]
