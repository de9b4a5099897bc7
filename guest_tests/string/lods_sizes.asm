; LODSB/LODSW/LODSD load AL/AX/EAX (upper EAX bits kept for B/W); REP LODSB with DF=1 keeps the last element
; mode: pm32
; regs: eax=0xffffffff esi=0x18000
; data: 0x18000 db 0x11 0x22 0x33 0x44 0x55 0x66 0x77 0x88
; expect: ebx=0xffffff11 edx=0xffff3322 eax=0x77665566 esi=0x18004 ecx=0 df=1
; | lodsb: AL=0x11, ESI=0x18001; lodsw: AX=[0x18001]=0x3322, ESI=0x18003
; | lodsd: EAX=[0x18003]=0x77665544, ESI=0x18007
; | std; lodsb: AL=[0x18007]=0x88, ESI=0x18006
; | rep lodsb, ECX=2: AL=[0x18006]=0x77, then AL=[0x18005]=0x66; ESI=0x18004
    cld
    lodsb
    mov ebx, eax
    lodsw
    mov edx, eax
    lodsd
    std
    lodsb
    mov ecx, 2
    rep lodsb
