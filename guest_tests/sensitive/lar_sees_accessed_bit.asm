; LAR shows the accessed bit the CPU sets in a GDT descriptor when a segment register is loaded from it
; mode: pm32
; gdt: 10=0x00cf92000000ffff
; expect-exceptions: none
; Slot 10 (selector 0x50): flat writable data, access 0x92 (accessed clear).
; SDM vol. 3A 3.4.5.1: loading ES sets the accessed bit in memory: 0x93.
; expect: eax=0x9200 ecx=0x9300 es=0x50 mem8[0x655]=0x93
    xor eax, eax
    xor ecx, ecx
    mov bx, 0x50
    lar ax, bx
    mov es, bx
    lar cx, bx
