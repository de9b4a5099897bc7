; Code segments in data registers: execute-only is #GP(sel), readable code loads but is not writable
; mode: pm32
; on-exception: resume
; gdt: 10=0x00cf98000000ffff
; data: 0x18000 dd 0x0c0dec0d 0
; expect: ds=0x10 es=0x08 ss=0x10 ebx=0x0c0dec0d mem32[0x18004]=0
; expect-exceptions: 13/0x50@l1 13/0@l2 13/0x08@l3
;
; Slot 10 (0x50): execute-only code, DPL 0. Selector 0x08: execute/read code, DPL 0.
; SDM vol. 2 MOV:
;   l1 DS <- 0x50: not a data or readable code segment -> #GP(0x50)
;   ES <- 0x08: readable code is allowed in DS/ES/FS/GS; a read through it works
;   l2 store through ES: "#GP(0) if the destination is located in a non-writable segment"
;   l3 SS <- 0x08: not a writable data segment         -> #GP(0x08)
    mov ax, 0x50
l1:
    mov ds, ax
    mov ax, 0x08
    mov es, ax
    mov ebx, es:[0x18000]
l2:
    mov es:[0x18004], ebx
l3:
    mov ss, ax
