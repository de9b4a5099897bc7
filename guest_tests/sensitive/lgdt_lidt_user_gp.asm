; LGDT, LIDT, LLDT and LTR at CPL3 raise #GP(0); the descriptor-table registers are unchanged
; mode: user32
; data: 0x18000 dw 0x17 
; data: 0x18002 dd 0x20000
; on-exception: resume
; SDM vol. 2 LGDT/LIDT/LLDT/LTR: CPL != 0: #GP(0). SGDT/SIDT afterwards still
; give 0xff/0x600 and 0x7ff/0x800; STR still 0x28.
; expect-exceptions: 13/0@g 13/0@i 13/0@l 13/0@t
; expect: mem16[0x18010]=0xff mem32[0x18012]=0x600 mem16[0x18018]=0x7ff mem32[0x1801a]=0x800 ecx=0x28
    xor eax, eax
g:
    lgdt [0x18000]
i:
    lidt [0x18000]
l:
    lldt ax
t:
    ltr ax
    sgdt [0x18010]
    sidt [0x18018]
    str ecx
