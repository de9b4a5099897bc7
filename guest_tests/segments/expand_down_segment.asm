; Expand-down data segments: valid offsets are limit+1 up to 0xffffffff (B=1) or 0xffff (B=0)
; mode: pm32
; on-exception: resume
; gdt: 10=0x0040961000000fff 11=0x0000961000000fff
; regs: ebx=0xbbbbbbbb ecx=0xcccccccc edi=0xdddddddd
; data: 0x101000 dd 0x22
; data: 0x10fffc dd 0x33
; data: 0x118000 dd 0x11
; expect: eax=0x11 edx=0x22 esi=0x33 ebx=0xbbbbbbbb ecx=0xcccccccc edi=0xdddddddd
; expect: ds=0x50 es=0x58
; expect-exceptions: 13/0@l1 13/0@l2 13/0@l3
;
; Slot 10 (0x50): expand-down read/write data (type 6), base 0x100000, limit 0xfff, G = 0,
; B = 1: valid offsets 0x1000-0xffffffff (SDM vol. 3A 3.4.5.1, 5.3).
; Slot 11 (0x58): the same with B = 0: valid offsets 0x1000-0xffff.
;   DS [0x18000] -> linear 0x118000 (0x11)      l1 DS dword at 0xffc: below the bound -> #GP(0)
;   l2 DS dword at 0xffe: bytes 0xffe-0xfff are below the bound -> #GP(0)
;   DS [0x1000] -> 0x101000 (0x22)               ES [0xfffc] -> 0x10fffc (0x33)
;   l3 ES dword at 0x10000: above the 0xffff upper bound of a B = 0 segment -> #GP(0)
    mov ax, 0x50
    mov ds, ax
    mov ax, 0x58
    mov es, ax
    mov eax, [0x18000]
l1:
    mov ebx, [0xffc]
l2:
    mov ecx, [0xffe]
    mov edx, [0x1000]
    mov esi, es:[0xfffc]
l3:
    mov edi, es:[0x10000]
