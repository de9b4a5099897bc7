; A far JMP that loads CS from a code descriptor sets its accessed bit, which LAR then shows
; mode: pm32
; gdt: 10=0x00cf9a000000ffff
; expect-exceptions: none
; Slot 10 (selector 0x50): flat 32-bit execute/read code, DPL 0, access 0x9A
; (accessed clear). SDM vol. 3A 3.4.5.1: the processor sets the accessed bit
; whenever it loads a selector for the segment into a segment register (CS
; included): 0x9B in memory and in LAR's result after the jump.
; expect: eax=0x9a00 ecx=0x9b00 cs=0x50 mem8[0x655]=0x9b
    xor eax, eax
    xor ecx, ecx
    mov bx, 0x50
    lar ax, bx
    ljmp 0x50:incs
incs:
    lar cx, bx
