; LAR at CPL3: user selectors 0x1b/0x23/0x18 are visible, DPL-0 code/data/TSS selectors give ZF=0
; mode: user32
; regs: eax=0x11111111 ecx=0x22222222 edx=0x33333333 esi=0x44444444 edi=0x55555555
; data: 0x18000 dd 0xaaaaaaaa 0xaaaaaaaa
; expect-exceptions: none
; SDM vol. 2 LAR: a non-conforming code or data segment is visible only when
; DPL >= CPL and DPL >= RPL. 0x1b and 0x23 were loaded into CS/SS by the
; stub's IRETD (accessed: 0xFB, 0xF3); 0x18 (RPL 0) names the same
; descriptor. 0x08, 0x13 (0x10 with RPL 3) and the TSS 0x28 are DPL 0: ZF=0,
; destination unchanged. ZF to 0x18000+i.
; expect: eax=0x1111fb00 ecx=0x2222f300 edx=0x3333fb00 esi=0x44444444 edi=0x55555555 cs=0x1b
; expect: mem32[0x18000]=0x00010101 mem32[0x18004]=0xaaaa0000
    mov bx, 0x1b
    lar ax, bx
    setz byte ptr [0x18000]
    mov bx, 0x23
    lar cx, bx
    setz byte ptr [0x18001]
    mov bx, 0x18
    lar dx, bx
    setz byte ptr [0x18002]
    mov bx, 0x08
    lar si, bx
    setz byte ptr [0x18003]
    mov bx, 0x13
    lar si, bx
    setz byte ptr [0x18004]
    mov bx, 0x28
    lar di, bx
    setz byte ptr [0x18005]
