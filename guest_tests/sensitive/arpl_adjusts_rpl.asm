; ARPL raises the destination selector's RPL to the source's and sets ZF; otherwise ZF = 0
; mode: pm32
; regs: eax=0x10 ebx=0x1b ecx=0x23 edx=0x08
; expect: ax=0x13 cx=0x23 zf=0 edi=1
; | arpl ax, bx: RPL 0 < 3 -> AX = 0x13, ZF = 1 (kept in EDI by SETZ)
; | arpl cx, dx: RPL 3 >= 0 -> unchanged, ZF = 0
    arpl ax, bx
    setz dl
    movzx edi, dl
    arpl cx, dx
