; 16-bit code: LODSB with a16 wraps SI at 64K, with a 0x67 prefix uses and carries into all of ESI; REP MOVSB counts CX
; mode: pm16
; regs: esi=0x0002ffff edi=0x8100 ecx=0x00010002
; data: 0x18000 db 1 2 3 4
; data: 0x18100 db 0 0 0 0
; data: 0x1ffff db 0xa5
; expect: ebx=0xa5a5 edx=0x00020000 ebp=0x00010000
; expect: esi=0xffff8002 edi=0x8102 ecx=0x00010000
; expect: mem16[0x18100]=0x0201 mem16[0x18102]=0
; | DS = ES = 0x38, base 0x10000, limit 0xFFFF: offset 0xFFFF is linear 0x1FFFF.
; | lodsb (a16): AL=[SI=0xFFFF]=0xA5, SI wraps to 0: ESI=0x00020000
; | lods [esi] (a32): AL=[0xFFFF]=0xA5, ESI=0x00010000
; | rep movsb (a16): CX=2 of ECX=0x10002; SI=0x8000, DI=0x8100 -> SI=0x8002, DI=0x8102, CX=0
    cld
    lodsb
    mov bl, al
    mov edx, esi
    mov esi, 0xffff
    lods byte ptr [esi]
    mov bh, al
    mov ebp, esi
    mov esi, 0xffff8000
    rep movsb
