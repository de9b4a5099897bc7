; Selectors past the GDT limit are #GP(selector); an empty (all-zero) GDT slot is #GP too
; mode: pm32
; on-exception: resume
; expect: ds=0x10 es=0x10 fs=0x10 gs=0x10
; expect-exceptions: 13/0x100@l1 13/0x1f8@l2 13/0xf8@l3 13/0x108@l4
;
; The runtime GDT has 32 entries, limit 0xff. SDM vol. 2 MOV: #GP(selector) if the selector
; index is outside the descriptor table limit, or the segment is not a data or readable code
; segment. The error code is the selector with bits 1:0 replaced by IDT = 0, EXT = 0
; (SDM vol. 3A 6.13), so the RPL does not appear.
;   l1 0x100  index 32, bytes 0x100-0x107 > limit        -> #GP(0x100)
;   l2 0x1fb  index 63, RPL 3                            -> #GP(0x1f8)
;   l3 0xf8   index 31 is inside the limit but all zero: a system descriptor of reserved
;             type 0, not a data or readable code segment -> #GP(0xf8) (type checked before P)
;   l4 0x10b  index 33, RPL 3 into GS                    -> #GP(0x108)
    mov ax, 0x100
l1:
    mov ds, ax
    mov ax, 0x1fb
l2:
    mov es, ax
    mov ax, 0xf8
l3:
    mov fs, ax
    mov ax, 0x10b
l4:
    mov gs, ax
