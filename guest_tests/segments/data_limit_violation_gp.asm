; Accesses past a data segment's byte-granular limit are #GP(0), including a dword straddling it
; mode: pm32
; on-exception: resume
; gdt: 10=0x0040920180000fff
; regs: ebx=0xbbbbbbbb ecx=0xcccccccc esi=0x55555555
; data: 0x18ffc dd 0x600dda7a
; expect: eax=0x600dda7a dl=0x60 ebx=0xbbbbbbbb ecx=0xcccccccc esi=0x55555555
; expect: mem8[0x1a000]=0 ds=0x50
; expect-exceptions: 13/0@l1 13/0@l2 13/0@l3 13/0@l4
;
; Slot 10 (0x50): read/write data, base 0x18000, limit 0xfff, G = 0, B = 1:
; valid offsets 0-0xfff. SDM vol. 2 MOV: #GP(0) if a memory operand effective address is
; outside the DS, ES, FS or GS segment limit (every byte of the operand must be inside,
; SDM vol. 3A 5.3).
;   dword at 0xffc (bytes 0xffc-0xfff)            -> loads 0x600dda7a
;   l1 dword at 0xffd: byte 0x1000 is outside     -> #GP(0)
;   l2 dword at 0x1000                            -> #GP(0)
;   l3 byte store at 0x2000                       -> #GP(0), linear 0x1a000 untouched
;   byte at 0xfff                                 -> loads 0x60
;   l4 dword at 0xfffffffc                        -> #GP(0)
    mov ax, 0x50
    mov ds, ax
    mov eax, [0xffc]
l1:
    mov ebx, [0xffd]
l2:
    mov ecx, [0x1000]
l3:
    mov byte ptr [0x2000], 1
    mov dl, [0xfff]
l4:
    mov esi, [0xfffffffc]
