; Segment loads at CPL 3: DPL 0 data and non-conforming code fault, conforming code does not
; mode: user32
; on-exception: resume
; gdt: 10=0x00cf9e000000ffff
; data: 0x18000 dd 0xc0de
; expect: ds=0x20 es=0x23 fs=0x50 ecx=0xc0de
; expect-exceptions: 13/0x10@l1 13/0x08@l2 13/0x10@l3
;
; Slot 10 (0x50): conforming, readable code segment, DPL 0.
; SDM vol. 2 MOV: #GP(selector) if the segment is data or non-conforming code and
; RPL > DPL or CPL > DPL; a readable conforming code segment has no privilege check.
;   l1 DS <- 0x10: data DPL 0, CPL 3                  -> #GP(0x10)
;   DS <- 0x20: data DPL 3, RPL 0 (max(CPL, RPL) = 3) -> loads
;   l2 ES <- 0x08: readable non-conforming code DPL 0 -> #GP(0x08)
;   l3 SS <- 0x10: RPL 0 != CPL 3                     -> #GP(0x10)
;   FS <- 0x50: conforming readable code              -> loads, and reads through it work
    mov ax, 0x10
l1:
    mov ds, ax
    mov ax, 0x20
    mov ds, ax
    mov ax, 0x08
l2:
    mov es, ax
    mov ax, 0x10
l3:
    mov ss, ax
    mov ax, 0x50
    mov fs, ax
    mov ecx, fs:[0x18000]
