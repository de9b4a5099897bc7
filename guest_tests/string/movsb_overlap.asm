; Overlapping MOVSB is element by element: DF=1 moves a block up by one, DF=0 smears the first byte
; mode: pm32
; data: 0x18000 db 1 2 3 4 5 0xee
; data: 0x18010 db 7 8 9 10 11 12 0xee
; expect: mem32[0x18000]=0x03020101 mem16[0x18004]=0x0504
; expect: mem32[0x18010]=0x07070707 mem16[0x18014]=0x0707 mem8[0x18016]=0xee
; expect: esi=0x18015 edi=0x18016 ecx=0 df=0 ebx=0x17fff edx=0x18000
; | backward: ESI=0x18004, EDI=0x18005, 5 bytes: 5->[5], 4->[4], 3->[3], 2->[2], 1->[1]: 1 1 2 3 4 5
; | forward: ESI=0x18010, EDI=0x18011, 5 bytes into 0x18011..0x18015, each copy reading the byte just
; |   written: 7 7 7 7 7 7, 0xEE at 0x18016 untouched; ESI=0x18015, EDI=0x18016
    mov esi, 0x18004
    mov edi, 0x18005
    mov ecx, 5
    std
    rep movsb
    mov ebx, esi
    mov edx, edi
    mov esi, 0x18010
    mov edi, 0x18011
    mov ecx, 5
    cld
    rep movsb
