; RCL/RCR count is taken modulo 9 (8-bit) and 17 (16-bit) after masking: 9 and 17 rotate nothing, 10 rotates by 1
; mode: pm32
; regs: eax=0x80 ebx=1 edx=0x40
; expect: al=0x80 bx=1 dl=0x81 cf=0
    stc
    rcl al, 9
    rcr bx, 17
    rcl dl, 10
