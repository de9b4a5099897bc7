; 32-bit protected mode back to real mode through a 16-bit code segment; hidden bases survive
; mode: pm32
; data: 0x18000 dw 0x1111 0x2222
; expect: cs=0x1000 ds=0x1000 ss=0x1000 es=0x38 ax=0x1111 dx=0x2222 bx=0x1000 ecx=0
; expect: esp=0x1ffee mem16[0x1ffee]=0x1234
; expect-exceptions: none
;
; SDM vol. 3A 9.9.2: far jump to a 16-bit code segment with a 64 KiB limit, load the data
; segment registers with 64 KiB, byte-granular, writable descriptors, clear CR0.PE, far jump
; to a real-mode CS, reload the segment registers.
; 0x40 is based at 0 and cannot reach the body at 0x10000, so the 16-bit code runs in 0x30
; (base 0x10000 = real-mode segment 0x1000): ljmp 0x30:(pm16 - 0x10000). DS and SS get
; 0x48 (16-bit data, base 0), ES gets 0x38 (base 0x10000). The 16-bit code is spelled out:
;   b8 48 00 / 8e d8 / 8e d0     mov ax, 0x48 / mov ds, ax / mov ss, ax
;   b8 38 00 / 8e c0             mov ax, 0x38 / mov es, ax
;   0f 20 c0 / 66 83 e0 fe       mov eax, cr0 / and eax, -2
;   0f 22 c0                     mov cr0, eax (real mode)
;   ea <real - 0x10000> 00 10    jmp far 0x1000:real
;   b8 00 10 / 8e d8 / 8e d0     mov ax, 0x1000 / mov ds, ax / mov ss, ax
;   bc f0 ff                     mov sp, 0xfff0 (ESP keeps 0x0001 in its upper half)
;   a1 00 80                     mov ax, [0x8000]       -> linear 0x18000 = 0x1111
;   26 8b 16 02 80               mov dx, es:[0x8002]    ES still holds selector 0x38 and its
;                                cached base 0x10000 -> 0x18002 = 0x2222 (a real-mode reload
;                                of 0x38 would mean base 0x380)
;   8c cb                        mov bx, cs             -> 0x1000
;   0f 20 c1 / 66 83 e1 01       mov ecx, cr0 / and ecx, 1  -> 0
;   68 34 12                     push 0x1234  SS.B = 0 (from 0x48): SP 0xfff0 -> 0xffee,
;                                ESP = 0x1ffee, stored at 0x10000 + 0xffee
    ljmp 0x30:pm16-0x10000
pm16:
    .byte 0xb8, 0x48, 0x00, 0x8e, 0xd8, 0x8e, 0xd0
    .byte 0xb8, 0x38, 0x00, 0x8e, 0xc0
    .byte 0x0f, 0x20, 0xc0, 0x66, 0x83, 0xe0, 0xfe
    .byte 0x0f, 0x22, 0xc0
    .byte 0xea
    .word real-0x10000
    .word 0x1000
real:
    .byte 0xb8, 0x00, 0x10, 0x8e, 0xd8, 0x8e, 0xd0
    .byte 0xbc, 0xf0, 0xff
    .byte 0xa1, 0x00, 0x80
    .byte 0x26, 0x8b, 0x16, 0x02, 0x80
    .byte 0x8c, 0xcb
    .byte 0x0f, 0x20, 0xc1, 0x66, 0x83, 0xe1, 0x01
    .byte 0x68, 0x34, 0x12
