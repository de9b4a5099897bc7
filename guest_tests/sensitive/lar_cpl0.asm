; LAR at CPL0 on the runtime's selectors: access rights of 0x08 0x10 0x1b 0x28, ZF=0 for null, out-of-limit and empty slots
; mode: pm32
; regs: eax=0x11111111 ecx=0x22222222 edx=0x33333333 esi=0x44444444 edi=0x55555555 ebp=0x66666666
; data: 0x18000 dd 0xaaaaaaaa 0xaaaaaaaa
; expect-exceptions: none
; SDM vol. 2 LAR: 16-bit operand: dest = descriptor dword 2 AND 0xFF00 (the
; access byte); 32-bit: AND 0x00FxFF00 (bits 19:16 undefined, masked off
; here). Access bytes as the stub left them (vol. 3A 3.4.5.1: loading a segment
; register sets the accessed bit; LTR sets the TSS busy bit): 0x08 loaded into
; CS: 0x9B; 0x10 into DS/SS: 0x93; 0x18 never loaded: 0xFA; TSS busy: 0x8B.
; Null selector, index past the GDT limit 0xFF, and a zero descriptor (system
; type 0) give ZF=0 and leave the destination unchanged. ZF to 0x18000+i.
; expect: eax=0x11119b00 ecx=0x22229300 edx=0x33338b00 esi=0x4444fa00 edi=0x55555555 ebp=0x66666666 ebx=0x00c09300
; expect: mem32[0x18000]=0x01010101 mem32[0x18004]=0x01000000
    mov bx, 0x08
    lar ax, bx
    setz byte ptr [0x18000]
    mov bx, 0x10
    lar cx, bx
    setz byte ptr [0x18001]
    mov bx, 0x28
    lar dx, bx
    setz byte ptr [0x18002]
    mov bx, 0x1b
    lar si, bx
    setz byte ptr [0x18003]
    mov bx, 0
    lar di, bx
    setz byte ptr [0x18004]
    mov bx, 0x100
    lar bp, bx
    setz byte ptr [0x18005]
    mov bx, 0x50
    lar di, bx
    setz byte ptr [0x18006]
    mov ebx, 0x10
    lar ebx, ebx
    setz byte ptr [0x18007]
    and ebx, 0x00f0ff00
