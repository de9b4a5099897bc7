; String stores go to ES:EDI (ES based at 0x18000 here) while sources use DS:ESI or an FS override
; mode: pm32
; gdt: 10=0x00cf92018000ffff
; regs: es=0x50 fs=0x50 esi=0x18000 edi=0x100 ecx=4 eax=0xcafef00d
; data: 0x18000 db 0x10 0x20 0x30 0x40
; data: 0x18010 db 0x99
; data: 0x18100 dd 0 0 0
; expect: mem32[0x18100]=0x40302010 mem32[0x18104]=0xcafef00d mem32[0x18108]=0x99
; expect: esi=0x11 edi=0x109 ecx=0 es=0x50
; | GDT slot 10 (selector 0x50): data, base 0x18000, limit 4 GiB, 32-bit.
; | rep movsb: flat DS:0x18000.. -> ES:0x100.. = linear 0x18100..; ESI=0x18004, EDI=0x104
; | stosd: ES:0x104 = linear 0x18104 <- EAX; EDI=0x108
; | movs with FS source: FS:0x10 = linear 0x18010 (0x99) -> ES:0x108 = linear 0x18108
    cld
    rep movsb
    stosd
    mov esi, 0x10
    movs byte ptr es:[edi], byte ptr fs:[esi]
